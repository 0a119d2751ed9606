// A reader for config.yml as hzl writes it and people usually edit it: comment lines, blank lines
// and `key: value` lines whose value is true, false, a plain word or a duration. Anything else
// gives undefined and the caller uses the full YAML parser: wherever this answers, it is what
// js-yaml gives. Every command reads the config, and js-yaml's first parse (with loading the
// parser itself) costs ~2 ms of a `task show` that has ~12 ms beyond node's start-up.

import { RESERVED_WORDS } from './fast-frontmatter.js';

const LINE = /^([a-z_]+): ([^\s#'"].*)$/;
/** A word YAML reads as a string: starts with a letter, nothing it could take as syntax. */
const WORD = /^[A-Za-z][A-Za-z0-9._/-]*$/;
/** `90s`, `30m`, `2h`, `1d`, `2w`: no YAML number has a letter at its end. */
const DURATION = /^[0-9]{1,9}[smhdw]$/;

export function readSimpleConfig(text: string): Record<string, unknown> | undefined {
  const data: Record<string, unknown> = {};
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    // A repeated key is the parser's error to give; `__proto__` it keeps as a plain key.
    if (!m || Object.hasOwn(data, m[1]!) || m[1] === '__proto__') return undefined;
    const value = plainValue(m[2]!);
    if (value === undefined) return undefined;
    data[m[1]!] = value;
  }
  return data;
}

function plainValue(raw: string): string | boolean | undefined {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (DURATION.test(raw)) return raw;
  return WORD.test(raw) && !RESERVED_WORDS.has(raw) ? raw : undefined;
}
