/**
 * docs/report.md in step with the report's unions, read from the code itself
 * (TypeScript's parser, nothing run): the report's kinds (ReportKind,
 * report/types.ts), the names of a disc's trees (TreeNaming, formats/tree.ts),
 * and the problem codes every reader can put in `warnings` and `errors`.
 *
 * A problem code is emitted where a string literal reaches one of: a
 * FormatError or BudgetExceeded, a ProblemLog's warn or error, a Problem
 * written out ({code, message, structure, offset}), or an Error given a
 * `code` (Object.assign) — directly, through either branch of a ?: or ??, or
 * through a helper that hands its parameter on (`fail(code, …)`,
 * `reader.fail('DER_…')`), followed to its calls. The table under "Problem
 * codes" must list every such code, and none that no code emits.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const DOC = readFileSync(join(ROOT, 'docs/report.md'), 'utf8');
const CODE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'dist' || name === 'build' ? [] : sources(p); // the CLI's bundle; the catalogue's build tool
    return name.endsWith('.ts') ? [p] : [];
  });
}

const parse = (path: string) => ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);

/** The string literals of a type alias's union, as written. */
function unionOf(path: string, name: string): string[] {
  const alias = parse(join(ROOT, path)).statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === name);
  if (!alias) throw new Error(`${path} has no type ${name}`);
  const members = ts.isUnionTypeNode(alias.type) ? alias.type.types : [alias.type];
  return members.flatMap((m) => (ts.isLiteralTypeNode(m) && ts.isStringLiteral(m.literal) ? [m.literal.text] : []));
}

/** The `"…"` values in the row of docs/report.md's table whose path is `path`. */
function documentedValues(path: string): string[] {
  const row = DOC.split('\n').find((l) => l.startsWith(`| \`${path}\` |`));
  if (!row) throw new Error(`docs/report.md has no row for ${path}`);
  return [...row.matchAll(/`"([^"`]+)"`/g)].map((m) => m[1]!);
}

/** Every code in the first column of the table under "## Problem codes". */
function documentedCodes(): string[] {
  const section = DOC.slice(DOC.indexOf('\n## Problem codes'));
  const table = section.slice(0, section.indexOf('\n## ', 1));
  const codes: string[] = [];
  for (const line of table.split('\n').filter((l) => l.startsWith('| `'))) {
    const first = line.split(' | ')[0]!;
    for (const m of first.matchAll(/`([A-Z][A-Z0-9_]*)`/g)) codes.push(m[1]!);
  }
  return codes;
}

interface Emitted {
  codes: Map<string, string[]>;
  /** Codes the scan could not read (a template literal where a code goes). */
  unread: string[];
}

function emittedCodes(): Emitted {
  const files = sources(join(ROOT, 'workers')).map(parse);
  const codes = new Map<string, string[]>();
  const unread: string[] = [];
  /** Helpers that hand parameter `index` on to where a code goes: by name, and the file a plain function is called in. */
  const forwarders = new Map<string, { index: number; file: ts.SourceFile | null; defaults: ts.Expression[] }>();
  const where = (n: ts.Node) => `${relative(ROOT, n.getSourceFile().fileName)}:${n.getSourceFile().getLineAndCharacterOfPosition(n.getStart()).line + 1}`;

  const nameOf = (fn: ts.SignatureDeclaration): { name: string; method: boolean } | null => {
    if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name))
      return { name: fn.name.text, method: ts.isMethodDeclaration(fn) };
    const holder = fn.parent;
    if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name))
      return { name: holder.name.text, method: false };
    if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isPropertyAssignment(holder) && ts.isIdentifier(holder.name))
      return { name: holder.name.text, method: true };
    return null;
  };

  /** A const of this file whose value is a string literal. */
  const constant = (id: ts.Identifier): string | null => {
    let found: string | null = null;
    const visit = (n: ts.Node) => {
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === id.text && n.initializer && ts.isStringLiteral(n.initializer))
        found = n.initializer.text;
      if (!found) ts.forEachChild(n, visit);
    };
    visit(id.getSourceFile());
    return found;
  };

  /** `strict`: where a code must go (a template literal there is a code the scan cannot read); not at a helper's calls, found by name alone. */
  const collect = (e: ts.Expression, strict = true): void => {
    if (ts.isStringLiteralLike(e)) {
      if (CODE.test(e.text)) codes.set(e.text, [...(codes.get(e.text) ?? []), where(e)]);
      return;
    }
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e)) return collect(e.expression, strict);
    if (ts.isConditionalExpression(e)) return (collect(e.whenTrue, strict), collect(e.whenFalse, strict));
    if (ts.isBinaryExpression(e) && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(e.operatorToken.kind))
      return (collect(e.left, strict), collect(e.right, strict));
    if (ts.isTemplateExpression(e)) return void (strict && unread.push(where(e)));
    if (!ts.isIdentifier(e)) return; // e.code, check.code: a code made elsewhere, handed on
    for (let n: ts.Node = e; n.parent; n = n.parent) {
      if (!ts.isFunctionLike(n)) continue;
      const index = n.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === e.text);
      if (index < 0) continue;
      const named = nameOf(n);
      if (!named) return;
      const key = `${named.name}#${index}`;
      if (forwarders.has(key)) return;
      const init = n.parameters[index]!.initializer;
      forwarders.set(key, { index, file: named.method ? null : n.getSourceFile(), defaults: init ? [init] : [] });
      return;
    }
    const value = constant(e);
    if (value !== null && CODE.test(value)) codes.set(value, [...(codes.get(value) ?? []), where(e)]);
  };

  const isProblem = (o: ts.ObjectLiteralExpression) =>
    ['code', 'message', 'structure', 'offset'].every((k) => o.properties.some((p) => p.name && ts.isIdentifier(p.name) && p.name.text === k));
  const codeOf = (o: ts.ObjectLiteralExpression): ts.Expression | null => {
    const p = o.properties.find((q) => q.name && ts.isIdentifier(q.name) && q.name.text === 'code');
    return p && ts.isPropertyAssignment(p) ? p.initializer : p && ts.isShorthandPropertyAssignment(p) ? p.name : null;
  };

  for (const file of files) {
    const visit = (n: ts.Node) => {
      if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && ['FormatError', 'BudgetExceeded'].includes(n.expression.text) && n.arguments?.[0])
        collect(n.arguments[0]);
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
        const method = n.expression.name.text;
        const on = n.expression.expression.getText();
        if ((method === 'warn' || method === 'error') && on !== 'console' && n.arguments.length === 4) collect(n.arguments[0]!);
        // An Error given a code: the codes a reader throws that are not FormatErrors. Node's own (ENOENT, and
        // the CLI's ENOTFILE, EBADCUE in their style) never reach a report: the CLI says CANNOT_OPEN for them.
        const extra = n.arguments[1];
        if (on === 'Object' && method === 'assign' && extra && ts.isObjectLiteralExpression(extra)) {
          const code = codeOf(extra);
          if (code && !(ts.isStringLiteral(code) && /^E[A-Z]+$/.test(code.text))) collect(code);
        }
      }
      if (ts.isObjectLiteralExpression(n) && isProblem(n)) collect(codeOf(n)!);
      ts.forEachChild(n, visit);
    };
    visit(file);
  }

  // Follow each helper to its calls (a helper may hand on to another: until none is new).
  const followed = new Set<string>();
  for (let again = true; again;) {
    again = false;
    for (const [key, f] of [...forwarders]) {
      if (followed.has(key)) continue;
      followed.add(key);
      again = true;
      const name = key.slice(0, key.lastIndexOf('#'));
      for (const d of f.defaults) collect(d);
      for (const file of f.file ? [f.file] : files) {
        const visit = (n: ts.Node) => {
          if (ts.isCallExpression(n)) {
            const callee = ts.isPropertyAccessExpression(n.expression) ? n.expression.name.text : ts.isIdentifier(n.expression) ? n.expression.text : null;
            const arg = n.arguments[f.index];
            if (callee === name && arg) collect(arg, false);
          }
          ts.forEachChild(n, visit);
        };
        visit(file);
      }
    }
  }
  return { codes, unread };
}

describe('docs/report.md and the report', () => {
  it('names the report kinds of ReportKind (report/types.ts)', () => {
    expect(documentedValues('kind').sort()).toEqual(unionOf('workers/report/types.ts', 'ReportKind').sort());
  });

  it("names a disc's trees as TreeNaming does (formats/tree.ts), in `trees` and `filesFrom`", () => {
    const namings = unionOf('workers/formats/tree.ts', 'TreeNaming').sort();
    expect(documentedValues('trees').sort()).toEqual(namings);
    expect(documentedValues('filesFrom').sort()).toEqual(namings);
  });

  describe('problem codes', () => {
    const emitted = emittedCodes();
    const documented = documentedCodes();

    it('the scan reads every code where it is made, and finds the codes of every family', () => {
      expect(emitted.unread).toEqual([]);
      for (const code of ['TRUNCATED', 'INTERNAL', 'BUDGET_READS', 'HTTP_STATUS', 'DER_BAD_TAG', 'LZX_CORRUPT', 'CANNOT_OPEN', 'PROBLEMS_OMITTED'])
        expect(emitted.codes.has(code), code).toBe(true);
    });

    it('lists every code the readers, the core and the CLI emit', () => {
      const missing = [...emitted.codes].filter(([c]) => !documented.includes(c)).map(([c, at]) => `${c} (${at[0]})`);
      expect(missing).toEqual([]);
    });

    it('lists no code that nothing emits, and each once', () => {
      expect(documented.filter((c) => !emitted.codes.has(c))).toEqual([]);
      expect(documented.filter((c, i) => documented.indexOf(c) !== i)).toEqual([]);
    });
  });
});
