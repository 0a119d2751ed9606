// The one js-yaml engine hzl uses: dates and yes/on stay strings; output never folds lines.
// Loading is bounded (size, nesting, values once aliases are expanded): a cloned repository can
// hold a 1 KB file built to make every command that reads it run for minutes or overflow the stack.

import yaml from 'js-yaml';
import { displayText } from '../core/bytes.js';

const SCHEMA = yaml.CORE_SCHEMA;

export const MAX_YAML_CHARS = 64 * 1024;
export const MAX_YAML_DEPTH = 64;
export const MAX_YAML_VALUES = 10_000;

/** YAML that parses but exceeds a bound. `line`: 0-based, in the text given to `loadYaml`. */
export class YamlLimitError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export function loadYaml(text: string): unknown {
  if (text.length > MAX_YAML_CHARS) {
    throw new YamlLimitError(0, `is more than ${MAX_YAML_CHARS} characters; keep it to short fields`);
  }
  let value: unknown;
  try {
    // Bytes that are not UTF-8 load as U+FFFD (js-yaml refuses the lone surrogates they are held
    // as); the lines themselves keep them, and are rewritten only when their key changes.
    value = yaml.load(displayText(text), { schema: SCHEMA });
  } catch (err) {
    // js-yaml recurses once per level of nesting: a few thousand `[` exhaust the stack.
    if (err instanceof RangeError && /call stack/i.test(err.message)) throw tooDeep(deepestLine(text));
    throw err;
  }
  if (mightPassBounds(text)) checkBounds(value, text);
  return value;
}

/**
 * False when the text alone shows the bounds hold, so the walk (about half the cost of the
 * parse) is skipped for ordinary files: without an alias (`*`) nothing expands, and with few
 * brackets and short line prefixes (each block level needs indentation, `- ` or `? `) nothing
 * nests anywhere near the limit.
 */
function mightPassBounds(text: string): boolean {
  if (text.includes('*') || /^[ \t?-]{17}/m.test(text)) return true;
  let brackets = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c === 0x5b || c === 0x7b) && ++brackets > 16) return true; // [ {
  }
  return false;
}

function tooDeep(line: number): YamlLimitError {
  return new YamlLimitError(line, `nests deeper than ${MAX_YAML_DEPTH} levels; flatten it`);
}

/**
 * js-yaml keeps an alias as a second reference to the anchored value, so loading a bomb is
 * cheap; what costs minutes is everything after (JSON, comparisons, rewrites) walking the tree
 * with every alias expanded. Counting each distinct value once, with its expanded size, bounds
 * that before anything else sees the data, in time proportional to the text.
 */
function checkBounds(root: unknown, text: string): void {
  const measured = new Map<object, { values: number; height: number }>();
  const open = new Set<object>();
  let total = 0;
  const visit = (value: unknown, depth: number, key: string): { values: number; height: number } => {
    if (value === null || typeof value !== 'object') return { values: 1, height: 0 };
    if (depth > MAX_YAML_DEPTH) throw tooDeep(lineOfKey(text, key));
    const known = measured.get(value);
    if (known) {
      if (depth + known.height - 1 > MAX_YAML_DEPTH) throw tooDeep(lineOfKey(text, key));
      return known;
    }
    if (open.has(value))
      throw new YamlLimitError(lineOfKey(text, key), 'has an alias inside the value it names; write the value out');
    open.add(value);
    const own = { values: 1, height: 1 };
    for (const child of Object.values(value)) {
      const sub = visit(child, depth + 1, key);
      own.values += sub.values;
      own.height = Math.max(own.height, sub.height + 1);
      if (own.values > MAX_YAML_VALUES) throw tooMany(lineOfKey(text, key));
    }
    open.delete(value);
    measured.set(value, own);
    return own;
  };
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    visit(root, 1, '');
    return;
  }
  // Key by key, so that a message can name the line the trouble starts on.
  for (const [key, value] of Object.entries(root)) {
    total += visit(value, 2, key).values;
    if (total > MAX_YAML_VALUES) throw tooMany(lineOfKey(text, key));
  }
}

function tooMany(line: number): YamlLimitError {
  return new YamlLimitError(
    line,
    `expands to more than ${MAX_YAML_VALUES} values through aliases; ` +
      'write the values out without anchors (&) and aliases (*)',
  );
}

/** The line of a top-level `key:`, or 0 when it cannot be told. */
function lineOfKey(text: string, key: string): number {
  if (key === '') return 0;
  const lines = text.split('\n');
  const at = lines.findIndex((l) =>
    [key, `'${key}'`, `"${key}"`].some((k) => l.startsWith(k) && /^[ \t]*:/.test(l.slice(k.length))),
  );
  return Math.max(at, 0);
}

/** The line with the most opening brackets: where a nesting that overflowed the parser starts. */
function deepestLine(text: string): number {
  let best = 0;
  let most = -1;
  text.split('\n').forEach((line, i) => {
    const opens = line.replace(/[^[{]/g, '').length;
    if (opens > most) [best, most] = [i, opens];
  });
  return best;
}

/** `key: value` lines for one top-level key, each ending in a newline. */
export function dumpYamlEntry(key: string, value: unknown): string {
  return yaml.dump({ [key]: value }, { schema: SCHEMA, lineWidth: -1, noRefs: true, flowLevel: 1 });
}

export function dumpYaml(value: object): string {
  return yaml.dump(value, { schema: SCHEMA, lineWidth: -1, noRefs: true });
}

export function yamlErrorLine(err: unknown): { line: number; reason: string } | undefined {
  if (err instanceof yaml.YAMLException) {
    return { line: err.mark?.line ?? 0, reason: err.reason || 'invalid YAML' };
  }
  return undefined;
}
