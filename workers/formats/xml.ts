/**
 * A small, strict XML reader for WIM XML resources. Workers have no
 * DOMParser; this builds a plain element tree, decodes only the five
 * predefined entities and character references, and refuses any DTD or entity
 * declaration outright (no expansion, so no "billion laughs").
 */
import { FormatError } from '../io/problems.ts';

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const MAX_DEPTH = 64;
const MAX_ELEMENTS = 200_000;

function decodeEntities(s: string, where: number): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos|[^;]*);?/g, (m, body: string) => {
    if (!m.endsWith(';')) throw new FormatError('XML_BAD_ENTITY', `unterminated reference "${m}"`, 'WIM XML', where);
    if (body === 'amp') return '&';
    if (body === 'lt') return '<';
    if (body === 'gt') return '>';
    if (body === 'quot') return '"';
    if (body === 'apos') return "'";
    if (body.startsWith('#')) {
      const cp = body[1] === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!Number.isFinite(cp) || cp > 0x10ffff) throw new FormatError('XML_BAD_ENTITY', `bad character reference "${m}"`, 'WIM XML', where);
      return String.fromCodePoint(cp);
    }
    throw new FormatError(
      'XML_ENTITY',
      `entity "&${body};" is not one of XML's five predefined entities; isoscope never expands declared entities`,
      'WIM XML',
      where,
    );
  });
}

const isNameStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isNameChar = (c: number) => isNameStart(c) || (c >= 48 && c <= 57) || c === 46 || c === 58 || c === 45;
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/** End of an XML name starting at `at` (at itself when there is none). */
function scanName(s: string, at: number): number {
  if (at >= s.length || !isNameStart(s.charCodeAt(at))) return at;
  let i = at + 1;
  while (i < s.length && isNameChar(s.charCodeAt(i))) i++;
  return i;
}

/**
 * name="value" / name='value' pairs after a tag's name, in one left-to-right
 * pass: each character is looked at a bounded number of times, so a start
 * tag of any length costs linear time (a regular expression here backtracked
 * quadratically on 60 000 characters without "=").
 */
function readAttributes(s: string, from: number, into: Record<string, string>, base: number): void {
  let i = from;
  while (i < s.length) {
    while (i < s.length && isSpace(s.charCodeAt(i))) i++;
    const nameEnd = scanName(s, i);
    if (nameEnd === i) {
      i++; // not an attribute: skip the character
      continue;
    }
    const name = s.slice(i, nameEnd);
    i = nameEnd;
    while (i < s.length && isSpace(s.charCodeAt(i))) i++;
    if (s[i] !== '=') continue;
    i++;
    while (i < s.length && isSpace(s.charCodeAt(i))) i++;
    const quote = s[i];
    if (quote !== '"' && quote !== "'") continue;
    const close = s.indexOf(quote, i + 1);
    if (close < 0) return;
    into[name] = decodeEntities(s.slice(i + 1, close), base);
    i = close + 1;
  }
}

/** Parse `text` into its root element. `base` is the byte offset for errors. */
export function parseXml(text: string, base = 0): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let count = 0;
  let i = 0;
  const fail = (code: string, msg: string): never => {
    throw new FormatError(code, msg, 'WIM XML', base);
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = lt < 0 ? text.slice(i) : text.slice(i, lt);
    if (chunk.trim()) {
      if (!stack.length) fail('XML_MALFORMED', 'text outside the root element');
      stack[stack.length - 1]!.text += decodeEntities(chunk, base);
    }
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end < 0) fail('XML_MALFORMED', 'unterminated comment');
      i = end + 3;
    } else if (text.startsWith('<?', lt)) {
      const end = text.indexOf('?>', lt + 2);
      if (end < 0) fail('XML_MALFORMED', 'unterminated processing instruction');
      i = end + 2;
    } else if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      if (end < 0) fail('XML_MALFORMED', 'unterminated CDATA section');
      if (stack.length) stack[stack.length - 1]!.text += text.slice(lt + 9, end);
      i = end + 3;
    } else if (text.startsWith('<!', lt)) {
      fail('XML_ENTITY_DECLARATION', 'the XML declares a DTD or entities; refused (never expanded)');
    } else if (text[lt + 1] === '/') {
      const end = text.indexOf('>', lt);
      if (end < 0) fail('XML_MALFORMED', 'unterminated end tag');
      const name = text.slice(lt + 2, end).trim();
      const open = stack.pop();
      if (!open || open.name !== name) fail('XML_MALFORMED', `end tag </${name}> does not close <${open?.name ?? ''}>`);
      i = end + 1;
    } else {
      const end = text.indexOf('>', lt);
      if (end < 0) fail('XML_MALFORMED', 'unterminated start tag');
      let inner = text.slice(lt + 1, end);
      const selfClosing = inner.endsWith('/');
      if (selfClosing) inner = inner.slice(0, -1);
      const nameEnd = scanName(inner, 0);
      if (nameEnd === 0) fail('XML_MALFORMED', `bad tag <${inner.slice(0, 20)}>`);
      const el: XmlElement = { name: inner.slice(0, nameEnd), attributes: {}, children: [], text: '' };
      readAttributes(inner, nameEnd, el.attributes, base);
      if (++count > MAX_ELEMENTS) fail('XML_TOO_MANY_ELEMENTS', `more than ${MAX_ELEMENTS} elements`);
      if (stack.length) stack[stack.length - 1]!.children.push(el);
      else if (root) fail('XML_MALFORMED', 'a second root element');
      else root = el;
      if (!selfClosing) {
        stack.push(el);
        if (stack.length > MAX_DEPTH) fail('XML_TOO_DEEP', `elements nest deeper than ${MAX_DEPTH}`);
      }
      i = end + 1;
    }
  }
  if (stack.length) fail('XML_MALFORMED', `<${stack[stack.length - 1]!.name}> is never closed`);
  if (!root) fail('XML_MALFORMED', 'no root element');
  return root!;
}

/** First child element by path, e.g. child(img, 'WINDOWS', 'VERSION', 'BUILD'). */
export function child(el: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
  let cur = el;
  for (const p of path) cur = cur?.children.find((c) => c.name === p);
  return cur;
}
export function textOf(el: XmlElement | undefined, ...path: string[]): string | null {
  const c = child(el, ...path);
  return c ? c.text.trim() : null;
}
