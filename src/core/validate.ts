// Checks on what users type. Every refusal names the input and says what to do instead.

import { UsageError } from './errors.js';
import { C0_OR_C1, CONTROL, printable } from './printable.js';
import { MAX_PRIORITY, MIN_PRIORITY, STATUSES, type Status, isStatus } from './task.js';

const TASK_ID = /^#?([1-9]\d{0,8})$/;
// CONTROL: control characters other than tab and newline; CR is normalised away before the check.
// Characters that do not show, or that reorder what follows (bidi controls), and spaces other
// than the plain one: `ali\u200bce` must not pass for `alice`. Lone surrogates cannot be written.
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\u2800]|(?! )\s/u;
const AUTHOR_RESERVED = /[:[\]]/;
export const MAX_AUTHOR_CHARS = 64;
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
  return [
    ...new Set(
      parts.map((p) => {
        try {
          return parseTaskId(p);
        } catch {
          throw new UsageError(`invalid ${what} '${printable(p)}': use task ids like 3,4`);
        }
      }),
    ),
  ];
}

export function parsePriority(input: unknown): number {
  const text = String(input).trim();
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= MIN_PRIORITY && n <= MAX_PRIORITY)) {
    throw new UsageError(
      `invalid priority '${printable(text)}': use ${MIN_PRIORITY}-${MAX_PRIORITY} (higher is more urgent)`,
    );
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
      throw new UsageError(
        `invalid tag '${printable(tag)}': use letters, digits and . _ / + - (at most 50 characters)`,
      );
    }
  }
  return [...new Set(tags)];
}

/**
 * An author name as hzl stores it: trimmed, in NFC (so `José` typed as e + accent is the same
 * name as `José`), or a UsageError naming `source`.
 */
export function checkAuthor(input: unknown, source = '--author'): string {
  const text = normalizeAuthor(input);
  const problem = authorProblem(text);
  if (problem) throw new UsageError(`invalid author '${printable(text)}' (from ${source}): ${problem}`);
  return text;
}

export function normalizeAuthor(input: unknown): string {
  return nfc(String(input ?? '').trim());
}

/** Unicode NFC; ASCII (nearly every name) is already NFC, and skipping ICU keeps cold listings fast. */
export function nfc(text: string): string {
  return /^[\x00-\x7f]*$/.test(text) ? text : text.normalize('NFC');
}

/** Why `text` cannot be an author (so that every History line can be parsed back), if it cannot. */
export function authorProblem(text: string): string | undefined {
  if (C0_OR_C1.test(text)) return `it contains a control character: use 1-${MAX_AUTHOR_CHARS} characters on one line`;
  const invisible = INVISIBLE.exec(text);
  if (invisible) {
    return (
      `it contains an invisible or direction-changing character (${codePoint(invisible[0])}): ` +
      'type the name with visible characters only'
    );
  }
  if (
    text === '' ||
    (text.length > MAX_AUTHOR_CHARS && [...text].length > MAX_AUTHOR_CHARS) ||
    AUTHOR_RESERVED.test(text) ||
    text.trim() !== text
  ) {
    return `use 1-${MAX_AUTHOR_CHARS} characters without ':', '[', ']' or control characters`;
  }
  return undefined;
}

function codePoint(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

export function checkTitle(input: unknown): string {
  const text = String(input ?? '').trim();
  if (text === '') throw new UsageError('the title is empty: give a short title, like "Implement user authentication"');
  if (/[\r\n]/.test(text))
    throw new UsageError('the title has a line break: keep it to one line and put the rest in --description');
  if (CONTROL.test(text) || text.includes('\t'))
    throw new UsageError('the title contains control characters: remove them');
  if (text.length > MAX_TITLE_CHARS)
    throw new UsageError(`the title is ${text.length} characters: keep it under ${MAX_TITLE_CHARS}`);
  return text;
}

/** Checkpoint, reason and description text: CRLF becomes LF, outer blank lines go, controls are refused. */
export function checkText(input: unknown, what: string, { allowEmpty = false } = {}): string {
  const text = String(input ?? '')
    .replace(/\r\n?/g, '\n')
    .replace(/^(?:[ \t]*\n)+/, '')
    .replace(/\s+$/, '');
  if (!allowEmpty && text === '')
    throw new UsageError(`the ${what} is empty: say what was done, what is next, or what blocks you`);
  const bad = CONTROL.exec(text);
  if (bad) {
    const code = bad[0].charCodeAt(0).toString(16).padStart(4, '0');
    throw new UsageError(`the ${what} contains a control character (U+${code.toUpperCase()}): remove it`);
  }
  if (text.length > MAX_TEXT_CHARS) {
    throw new UsageError(
      `the ${what} is ${text.length} characters: keep it under ${MAX_TEXT_CHARS} and point to files for the rest`,
    );
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

/** Shows user input in a message without letting it break the line or hide characters. */
export { printable };
