// A reader for the front-matter hzl itself writes: one `key: value` line per known key, the
// value a plain word, a number, a quoted string without escapes or a flow list of plain words.
// Any line it does not handle exactly gives undefined, and the caller uses the full YAML parser
// (gray-matter with js-yaml): the result must always be what that parser gives. At 10,000 files
// it is most of the cost of a listing with no cache.

import { KEY_ORDER } from './key-order.js';
import { MAX_YAML_CHARS } from './yaml.js';

const KNOWN_KEYS: ReadonlySet<string> = new Set(KEY_ORDER);

/** `key: value`, one space after the colon, the value non-empty with no blank at its ends. */
const LINE = /^([a-z_]+): (\S(?:.*\S)?)$/;
const INTEGER = /^-?[1-9][0-9]{0,14}$|^0$/;
const STAMP = /^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)?$/;
const SINGLE_QUOTED = /^'((?:[^']|'')*)'$/;
const DOUBLE_QUOTED = /^"([^"\\]*)"$/;
/** Words the YAML core schema reads as null or booleans, not strings (the config reader's too). */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  'null',
  'Null',
  'NULL',
  'true',
  'True',
  'TRUE',
  'false',
  'False',
  'FALSE',
]);
const FAILED = Symbol('not simple');

/**
 * The front-matter of `text` (LF line endings, starting with `---\n`) as gray-matter cuts it
 * (`matter`: from the first line break to the next `\n---`) with its data, or undefined when a
 * line is not of the simple forms.
 */
export function readSimpleFrontMatter(text: string): { matter: string; data: Record<string, unknown> } | undefined {
  const close = text.indexOf('\n---', 3);
  if (close <= 3 || close - 3 > MAX_YAML_CHARS) return undefined;
  const matter = text.slice(3, close);
  const data: Record<string, unknown> = {};
  let start = 1; // after the line break that ends the opening `---`
  while (start <= matter.length) {
    let end = matter.indexOf('\n', start);
    if (end === -1) end = matter.length;
    const m = LINE.exec(matter.slice(start, end));
    if (!m || !KNOWN_KEYS.has(m[1]!) || Object.hasOwn(data, m[1]!)) return undefined;
    const value = scalarOrList(m[2]!);
    if (value === FAILED) return undefined;
    data[m[1]!] = value;
    start = end + 1;
  }
  return { matter, data };
}

function scalarOrList(raw: string): unknown {
  const first = raw.charCodeAt(0);
  if (first === 0x5b) return listOf(raw); // [
  if (first === 0x27) {
    const m = SINGLE_QUOTED.exec(raw);
    return m && allPrintable(m[1]!) ? m[1]!.replaceAll("''", "'") : FAILED;
  }
  if (first === 0x22) {
    const m = DOUBLE_QUOTED.exec(raw);
    return m && allPrintable(m[1]!) ? m[1]! : FAILED;
  }
  return plainOf(raw, false);
}

/** `[a, b, 3]`, `[]`: plain items, each after `, ` (no quotes, brackets, braces or colons inside). */
function listOf(raw: string): unknown {
  if (raw.charCodeAt(raw.length - 1) !== 0x5d) return FAILED; // ]
  const inner = raw.slice(1, -1);
  if (inner === '') return [];
  const items: unknown[] = [];
  for (const item of inner.split(', ')) {
    if (item === '' || item.trim() !== item) return FAILED;
    const value = plainOf(item, true);
    if (value === FAILED) return FAILED;
    items.push(value);
  }
  return items;
}

/**
 * A plain scalar: a whole number, a date or time, or a string starting with a letter (or a
 * character beyond ASCII) that no other type of the core schema claims and that no YAML
 * indicator inside could change (`: `, ` #`; in a list also `,[]{}` and any colon).
 */
function plainOf(raw: string, inList: boolean): unknown {
  if (INTEGER.test(raw)) return Number(raw);
  if (STAMP.test(raw)) return raw;
  const first = raw.charCodeAt(0);
  const letter = (first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a) || isWideChar(first);
  if (!letter || RESERVED_WORDS.has(raw) || !allPrintable(raw)) return FAILED;
  if (raw.includes('#') || raw.endsWith(':') || raw.includes(': ')) return FAILED;
  if (inList && /[:,[\]{}]/.test(raw)) return FAILED;
  return raw;
}

/** Printable ASCII, or wide characters the parser reads as they are. */
function allPrintable(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 || c > 0x7e) && !isWideChar(c)) return false;
  }
  return true;
}

/** Beyond ASCII, leaving out spaces, line and paragraph separators, the BOM and surrogates. */
function isWideChar(c: number): boolean {
  return c >= 0xa1 && c <= 0xfffd && c !== 0x2028 && c !== 0x2029 && c !== 0xfeff && (c < 0xd800 || c > 0xdfff);
}
