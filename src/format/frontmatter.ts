// Writing front-matter so that a change to one field changes only that field's lines.
// The source is cut into one block per top-level key; unchanged blocks keep their bytes
// (comments, quoting and unknown keys included). If the source cannot be cut safely,
// the front-matter is written afresh in canonical order.

import { readSimpleFrontMatter } from './fast-frontmatter.js';
import { KEY_ORDER } from './key-order.js';
import { dumpYamlEntry, loadYaml } from './yaml.js';

export { KEY_ORDER };

export type Fields = Record<string, unknown>;

interface Block {
  key: string | null; // null: lines before the first key
  head: string[]; // the key's own lines
  tail: string[]; // comments and blank lines after it, kept when the value changes
}

const PLAIN_KEY = /^([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t]|$)/;
const QUOTED_KEY = /^(?:'([^']*)'|"([^"\\]*)")[ \t]*:(?:[ \t]|$)/;

function keyOf(line: string): string | undefined {
  const m = PLAIN_KEY.exec(line) ?? QUOTED_KEY.exec(line);
  return m ? (m[1] ?? m[2]) : undefined;
}

function isTailLine(line: string): boolean {
  return line.trim() === '' || line.startsWith('#');
}

/** Cuts front-matter text into key blocks, or returns null when it is not plain enough to edit by line. */
function cutBlocks(source: string, data: Fields): Block[] | null {
  const lines = source.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const blocks: Block[] = [{ key: null, head: [], tail: [] }];
  for (const line of lines) {
    const current = blocks.at(-1)!;
    const continues = line === '' || /^[\s#]/.test(line) || line === '-' || line.startsWith('- ');
    if (continues) {
      if (isTailLine(line)) current.tail.push(line);
      else if (current.key === null) return null;
      else {
        current.head.push(...current.tail, line);
        current.tail = [];
      }
      continue;
    }
    const key = keyOf(line);
    if (key === undefined) return null;
    blocks.push({ key, head: [line], tail: [] });
  }
  // Each block must load, alone, to exactly the value the whole document gave it.
  const keys = blocks.filter((b) => b.key !== null).map((b) => b.key!);
  if (keys.length !== Object.keys(data).length || new Set(keys).size !== keys.length) return null;
  for (const block of blocks) {
    if (block.key === null) continue;
    let alone: unknown;
    try {
      alone = simpleBlock(block.head) ?? loadYaml(block.head.join('\n'));
    } catch {
      return null;
    }
    if (!alone || typeof alone !== 'object' || !sameValue((alone as Fields)[block.key], data[block.key])) return null;
  }
  return blocks;
}

/**
 * A one-line block of the form the simple reader handles, read by it: what js-yaml would give
 * (tests/fast-read.test.ts), without js-yaml's parse, the largest cost of a write's rendering.
 */
function simpleBlock(head: string[]): Fields | undefined {
  return head.length === 1 ? readSimpleFrontMatter(`---\n${head[0]}\n---\n`)?.data : undefined;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Front-matter text (without the `---` lines) for fields in canonical order, unknown keys last. */
export function renderFrontMatter(fields: Fields): string {
  const known = KEY_ORDER.filter((k) => fields[k] !== undefined);
  const unknown = Object.keys(fields).filter((k) => !(KEY_ORDER as readonly string[]).includes(k));
  return [...known, ...unknown].map((k) => dumpYamlEntry(k, fields[k])).join('');
}

/**
 * Rewrites `source` (front-matter text that loaded to `before`) so it loads to `after`,
 * touching only the blocks of keys whose value changed.
 */
export function editFrontMatter(source: string, before: Fields, after: Fields): string {
  const blocks = cutBlocks(source, before);
  if (!blocks) return renderFrontMatter(after);
  const out: Block[] = [];
  for (const block of blocks) {
    if (block.key === null || !(block.key in after)) {
      if (block.key === null || block.tail.length > 0) out.push({ key: block.key, head: [], tail: block.tail });
      continue;
    }
    const value = after[block.key];
    const head = sameValue(value, before[block.key]) ? block.head : lines(dumpYamlEntry(block.key, value));
    out.push({ key: block.key, head, tail: block.tail });
  }
  for (const key of Object.keys(after)) {
    if (key in before) continue;
    const at = insertionIndex(out, key);
    // Comments and blank lines after the preceding key introduce the key below them: they stay with it.
    const previous = out[at - 1];
    const tail = previous && previous.key !== null ? previous.tail.splice(0) : [];
    out.splice(at, 0, { key, head: lines(dumpYamlEntry(key, after[key])), tail });
  }
  const text = out.flatMap((b) => [...b.head, ...b.tail]).join('\n');
  return text === '' ? '' : `${text}\n`;
}

/** New keys go after the nearest key that precedes them in KEY_ORDER, else at the top. */
function insertionIndex(blocks: Block[], key: string): number {
  const rank = (k: string | null) => (k === null ? -1 : (KEY_ORDER as readonly string[]).indexOf(k));
  const own = rank(key);
  let index = blocks[0]?.key === null ? 1 : 0;
  blocks.forEach((b, i) => {
    const r = rank(b.key);
    if (r !== -1 && r < own) index = i + 1;
  });
  return index;
}

function lines(text: string): string[] {
  return text.replace(/\n$/, '').split('\n');
}
