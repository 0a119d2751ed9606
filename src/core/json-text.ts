// A JSON file changed as text, not rewritten: only the parts whose value changes are edited, each
// laid out like its neighbours (indentation, line endings, separators), so that everything else
// stays byte for byte (escapes, inline arrays, comments, a missing final newline), and an entry
// added then taken out gives back the text as it was. Comments (`//`, `/* */`, as JSONC allows)
// are kept; an edit that would take one out is refused instead.

import { isDeepStrictEqual } from 'node:util';

type Node =
  | { kind: 'object'; start: number; end: number; members: Member[] }
  | { kind: 'array'; start: number; end: number; items: Node[] }
  | { kind: 'scalar'; start: number; end: number };

/** A member of an object: its key's text runs from `start` to `keyEnd`. */
type Member = { key: string; start: number; keyEnd: number; value: Node };

export interface JsonText {
  text: string;
  /** The text with its comments blanked out (same length, line breaks kept): what is parsed. */
  blanked: string;
  value: unknown;
}

/** An edit hzl will not make: it would take out a comment the user wrote. */
export class CommentInTheWay extends Error {}

interface Edit {
  start: number;
  end: number;
  text: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The text with comments replaced by spaces; throws a SyntaxError for one left open. */
function blankComments(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (text.startsWith('//', i) || text.startsWith('/*', i)) {
      const line = text[i + 1] === '/';
      const close = line ? text.indexOf('\n', i) : text.indexOf('*/', i + 2);
      if (close === -1 && !line) throw new SyntaxError('a /* comment is not closed');
      const end = close === -1 ? text.length : line ? close : close + 2;
      out += text.slice(i, end).replace(/[^\r\n]/g, ' ');
      i = end;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

/** Parses JSON with comments; throws a SyntaxError (JSON.parse's own message) when it is not. */
export function parseJsonText(text: string): JsonText {
  const blanked = blankComments(text);
  return { text, blanked, value: JSON.parse(blanked.replace(/^\uFEFF/, '')) };
}

const skip = (s: string, i: number) => {
  while (i < s.length && ' \t\r\n\uFEFF'.includes(s[i]!)) i += 1;
  return i;
};

/** The node at `i` of valid JSON text, with offsets. */
function nodeAt(s: string, at: number): Node {
  const i = skip(s, at);
  if (s[i] === '{' || s[i] === '[') {
    const object = s[i] === '{';
    const members: Member[] = [];
    const items: Node[] = [];
    let j = skip(s, i + 1);
    while (s[j] !== '}' && s[j] !== ']') {
      if (object) {
        const key = nodeAt(s, j);
        const value = nodeAt(s, skip(s, key.end) + 1);
        const name = JSON.parse(s.slice(key.start, key.end)) as string;
        members.push({ key: name, start: key.start, keyEnd: key.end, value });
        j = skip(s, value.end);
      } else {
        const item = nodeAt(s, j);
        items.push(item);
        j = skip(s, item.end);
      }
      if (s[j] === ',') j = skip(s, j + 1);
    }
    return object ? { kind: 'object', start: i, end: j + 1, members } : { kind: 'array', start: i, end: j + 1, items };
  }
  let j = i + 1;
  if (s[i] === '"') {
    while (s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
    j += 1;
  } else {
    while (j < s.length && !',]}: \t\r\n'.includes(s[j]!)) j += 1;
  }
  return { kind: 'scalar', start: i, end: j };
}

/** How the file lays out what it holds. */
interface Style {
  unit: string; // one level of indentation
  eol: string;
  multiline: boolean; // the file spreads over lines
  original: string; // the text with its comments: separators are copied only from comment-free stretches
}

function styleOf(s: string, original: string): Style {
  const unit = /\n([ \t]+)\S/.exec(original)?.[1];
  return {
    unit: unit?.startsWith('\t') ? '\t' : (unit ?? '  '),
    eol: s.includes('\r\n') ? '\r\n' : '\n',
    multiline: /\n\s*\S/.test(s),
    original,
  };
}

/** The indentation of the line `at` is on (in the text with comments: a leading comment is not indentation). */
function indentAt(s: string, at: number): string {
  const lineStart = s.lastIndexOf('\n', at - 1) + 1;
  return /^[ \t]*/.exec(s.slice(lineStart))![0];
}

/** A value laid out over lines, each new line starting at `indent`. */
const renderAt = (v: unknown, st: Style, indent: string) =>
  JSON.stringify(v, null, st.unit).replace(/\n/g, st.eol + indent);

/** A child of a container: where it starts (its key, for a member) and ends (its value). */
interface Child {
  start: number;
  end: number;
}

/** Text for new children of a container, laid out like the children it has. */
function layout(s: string, st: Style, container: Node, kids: Child[]) {
  const open = container.start;
  const pure = (t: string) => /^\s*,\s*$/.test(t); // of `st.original`: blanked comments are not spacing
  const last = kids.at(-1);
  const prev = kids.at(-2);
  let sep: string;
  let indent: string;
  if (prev && last && pure(st.original.slice(prev.end, last.start))) {
    sep = st.original.slice(prev.end, last.start);
    indent = indentAt(st.original, last.start);
  } else if (last && /\n/.test(s.slice(open, last.start))) {
    indent = indentAt(st.original, last.start);
    sep = `,${st.eol}${indent}`;
  } else if (last) {
    indent = '';
    sep = ', ';
  } else {
    indent = st.multiline ? indentAt(st.original, open) + st.unit : '';
    sep = st.multiline ? `,${st.eol}${indent}` : ', ';
  }
  const multiline = sep.includes('\n');
  const first = container.kind === 'object' ? container.members[0] : undefined;
  const between = first ? st.original.slice(first.keyEnd, first.value.start) : '';
  const colon = /^\s*:\s*$/.test(between) ? between : ': ';
  const render = (v: unknown) => (multiline ? renderAt(v, st, indent) : JSON.stringify(v));
  return { sep, indent, multiline, colon, render };
}

/** Edits that turn `node` (holding `before`) into text holding `after`. */
function diff(s: string, st: Style, node: Node, before: unknown, after: unknown): Edit[] {
  if (isDeepStrictEqual(before, after)) return [];
  if (node.kind === 'object' && isObject(before) && isObject(after)) {
    const kids = node.members.map((m) => ({ start: m.start, end: m.value.end, keep: Object.hasOwn(after, m.key) }));
    const added = Object.keys(after).filter((k) => !Object.hasOwn(before, k));
    const kept = kids.filter((k) => k.keep);
    const l = layout(s, st, node, kept);
    const text = added.map((k) => `${JSON.stringify(k)}${l.colon}${l.render(after[k])}`);
    if (kept.length === 0) return [interior(st, node, l, text)];
    const edits = removals(kids);
    for (const m of node.members) {
      if (Object.hasOwn(after, m.key)) edits.push(...diff(s, st, m.value, before[m.key], after[m.key]));
    }
    const end = kept.at(-1)!.end;
    if (text.length) edits.push({ start: end, end, text: `${l.sep}${text.join(l.sep)}` });
    return edits;
  }
  if (node.kind === 'array' && Array.isArray(before) && Array.isArray(after)) {
    return arrayDiff(s, st, node, before, after);
  }
  const text = st.multiline ? renderAt(after, st, indentAt(st.original, node.start)) : JSON.stringify(after);
  return [{ start: node.start, end: node.end, text }];
}

/** Items kept where they are, the others taken out, new ones put where `after` has them. */
function arrayDiff(s: string, st: Style, node: Node & { kind: 'array' }, before: unknown[], after: unknown[]): Edit[] {
  const kids = node.items.map((n) => ({ start: n.start, end: n.end, keep: false }));
  const inserts: Array<{ at: number; values: unknown[] }> = []; // at: the kept item they go before, -1: the end
  let pending: unknown[] = [];
  let next = 0;
  for (const value of after) {
    const found = before.findIndex((b, k) => k >= next && isDeepStrictEqual(b, value));
    if (found === -1) {
      pending.push(value);
      continue;
    }
    kids[found]!.keep = true;
    if (pending.length) inserts.push({ at: found, values: pending });
    pending = [];
    next = found + 1;
  }
  if (pending.length) inserts.push({ at: -1, values: pending });
  const kept = kids.filter((k) => k.keep);
  const l = layout(s, st, node, kept);
  if (kept.length === 0) return [interior(st, node, l, inserts.flatMap((i) => i.values).map(l.render))];
  const edits = removals(kids);
  for (const { at, values } of inserts) {
    const text = values.map(l.render).join(l.sep);
    const where = at === -1 ? kept.at(-1)!.end : kids[at]!.start;
    edits.push({ start: where, end: where, text: at === -1 ? `${l.sep}${text}` : `${text}${l.sep}` });
  }
  return edits;
}

/** A container's whole inside, for one that keeps none of its children: the new ones, or nothing. */
function interior(st: Style, node: Node, l: ReturnType<typeof layout>, text: string[]): Edit {
  const close = indentAt(st.original, node.start);
  const lines = `${st.eol}${l.indent}${text.join(l.sep)}${st.eol}${close}`;
  const inside = text.length === 0 ? '' : l.multiline ? lines : text.join(l.sep);
  return { start: node.start + 1, end: node.end - 1, text: inside };
}

/** Edits taking out the children not kept (some are), each with the separator before it (after it, first ones). */
function removals(kids: Array<Child & { keep: boolean }>): Edit[] {
  const edits: Edit[] = [];
  const firstKept = kids.findIndex((k) => k.keep);
  if (firstKept > 0) edits.push({ start: kids[0]!.start, end: kids[firstKept]!.start, text: '' });
  for (let i = firstKept + 1; i < kids.length; i += 1) {
    if (!kids[i]!.keep) edits.push({ start: kids[i - 1]!.end, end: kids[i]!.end, text: '' });
  }
  return edits;
}

/** The text holding `after`, edited where it differs from what it holds now. */
export function editJsonText(doc: JsonText, after: unknown): string {
  const root = nodeAt(doc.blanked, 0);
  const edits = diff(doc.blanked, styleOf(doc.blanked, doc.text), root, doc.value, after);
  edits.sort((a, b) => b.start - a.start || b.end - a.end);
  let text = doc.text;
  for (const e of edits) {
    if (doc.text.slice(e.start, e.end) !== doc.blanked.slice(e.start, e.end)) throw new CommentInTheWay();
    text = text.slice(0, e.start) + e.text + text.slice(e.end);
  }
  return text;
}
