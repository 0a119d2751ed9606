// Checks on what users type. Every refusal names the input and says what to do instead.

import { UsageError } from './errors.js';
import { MAX_PRIORITY, MIN_PRIORITY, STATUSES, type Status, isStatus } from './task.js';

const TASK_ID = /^#?([1-9]\d{0,8})$/;
// Control characters other than tab and newline; CR is normalised away before this check.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const AUTHOR = /^[^\s:[\]\u0000-\u001f\u007f-\u009f\u2028\u2029](?:[^:[\]\u0000-\u001f\u007f-\u009f\u2028\u2029]{0,62}[^\s:[\]\u0000-\u001f\u007f-\u009f\u2028\u2029])?$/u;
const TAG = /^[\p{L}\p{N}][\p{L}\p{N}._/+-]{0,49}$/u;

export const MAX_TEXT_CHARS = 64 * 1024;
export const MAX_TITLE_CHARS = 300;

export function parseTaskId(input: unknown): number {
  const text = String(input ?? '').trim();
  const m = TASK_ID.exec(text);
  if (!m) {
    const why = /^#?[1-9]\d{9,}$/.test(text) ? 'task ids have at most 9 digits' : 'use a positive number';
    throw new UsageError(`invalid task id '${printable(text)}': ${why}, like 1 or #1`);
  }
  return Number(m[1]);
}

export function parseTaskIds(input: unknown, what: string): number[] {
  const parts = listItems(input);
  return [...new Set(parts.map((p) => {
    try {
      return parseTaskId(p);
    } catch {
      throw new UsageError(`invalid ${what} '${printable(p)}': use task ids like 3,4`);
    }
  }))];
}

export function parsePriority(input: unknown): number {
  const text = String(input).trim();
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= MIN_PRIORITY && n <= MAX_PRIORITY)) {
    throw new UsageError(`invalid priority '${printable(text)}': use ${MIN_PRIORITY}-${MAX_PRIORITY} (higher is more urgent)`);
  }
  return n;
}

export function parseStatus(input: unknown): Status {
  const text = String(input).trim();
  if (!isStatus(text)) throw new UsageError(`unknown status '${printable(text)}': use one of ${STATUSES.join(', ')}`);
  return text;
}

export function parseTags(input: unknown): string[] {
  const tags = listItems(input);
  for (const tag of tags) {
    if (!TAG.test(tag)) {
      throw new UsageError(`invalid tag '${printable(tag)}': use letters, digits and . _ / + - (at most 50 characters)`);
    }
  }
  return [...new Set(tags)];
}

export function checkAuthor(input: unknown, source = '--author'): string {
  const text = String(input ?? '').trim();
  if (!AUTHOR.test(text)) {
    throw new UsageError(
      `invalid author '${printable(text)}' (from ${source}): use 1-64 characters without ':', '[', ']' or control characters`,
    );
  }
  return text;
}

export function checkTitle(input: unknown): string {
  const text = String(input ?? '').trim();
  if (text === '') throw new UsageError('the title is empty: give a short title, like "Implement user authentication"');
  if (/[\r\n]/.test(text)) throw new UsageError('the title has a line break: keep it to one line and put the rest in --description');
  if (CONTROL.test(text) || text.includes('\t')) throw new UsageError('the title contains control characters: remove them');
  if (text.length > MAX_TITLE_CHARS) throw new UsageError(`the title is ${text.length} characters: keep it under ${MAX_TITLE_CHARS}`);
  return text;
}

/** Checkpoint, reason and description text: CRLF becomes LF, outer blank lines go, controls are refused. */
export function checkText(input: unknown, what: string, { allowEmpty = false } = {}): string {
  const text = String(input ?? '')
    .replace(/\r\n?/g, '\n')
    .replace(/^(?:[ \t]*\n)+/, '')
    .replace(/\s+$/, '');
  if (!allowEmpty && text === '') throw new UsageError(`the ${what} is empty: say what was done, what is next, or what blocks you`);
  const bad = CONTROL.exec(text);
  if (bad) {
    const code = bad[0].charCodeAt(0).toString(16).padStart(4, '0');
    throw new UsageError(`the ${what} contains a control character (U+${code.toUpperCase()}): remove it`);
  }
  if (text.length > MAX_TEXT_CHARS) {
    throw new UsageError(`the ${what} is ${text.length} characters: keep it under ${MAX_TEXT_CHARS} and point to files for the rest`);
  }
  return text;
}

/** `a,b` or repeated flags (`--tags a --tags b`) into one trimmed list. */
function listItems(input: unknown): string[] {
  const raw = Array.isArray(input) ? input : [input];
  return raw
    .flatMap((v) => String(v ?? '').split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** Shows user input in a message without letting it break the line. */
export function printable(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return JSON.stringify(shown).slice(1, -1);
}
