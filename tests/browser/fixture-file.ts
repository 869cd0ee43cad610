/** A committed fixture as a File, fetched from the test server. */
export async function fixtureFile(name: string): Promise<File> {
  const res = await fetch(new URL(`../fixtures/${name}`, import.meta.url));
  if (!res.ok) throw new Error(`fixture ${name}: HTTP ${res.status}`);
  return new File([await res.blob()], name);
}
