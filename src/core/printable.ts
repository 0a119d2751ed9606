// The one place that says which characters are unsafe to show or store as they are, and how each
// is shown instead. A hand-edited or merged file can hold terminal escapes (which would repaint or
// retitle a reader's terminal) and line breaks or tabs in one-line fields (which would forge rows in
// piped output); typed input can hold characters that do not show at all. Each such character is
// shown as an escape a person can read: `\e` for ESC, `\n`, `\t`, `\r`, `\xNN` for the other C0
// controls and DEL, `\uNNNN` (or `\u{N}` beyond the BMP) for the rest. Backslashes are left as they
// are: the escapes only need to be visible, not reversible; --json has the exact text.

import { displayText } from './bytes.js';

const LONE_SURROGATE = '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
/** C0 controls but tab and newline, DEL, C1 controls, line and paragraph separators. */
const CONTROL_CHARS = '\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u2028\\u2029';
/** Characters that reorder what follows them (bidirectional marks, embeddings, isolates). */
const BIDI_CHARS = '\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';

/** A control character no command lets into a text (tab and newline are allowed there). */
export const CONTROL = new RegExp(`[${CONTROL_CHARS}]|${LONE_SURROGATE}`);
/** The same, tab included: for one-line fields. */
export const CONTROL_OR_TAB = new RegExp(`[\\t${CONTROL_CHARS}]|${LONE_SURROGATE}`);

/** Any C0 or C1 control character, tab and newline included. */
export const C0_OR_C1 = /[\u0000-\u001f\u007f-\u009f]/;

/** What is never shown raw: every control character (tab and newline too), bidi marks, lone surrogates. */
export const UNSAFE = new RegExp(`[\\t\\n${CONTROL_CHARS}${BIDI_CHARS}]|${LONE_SURROGATE}`, 'g');
/** The unsafe characters JSON.stringify leaves raw (it escapes C0 and unpaired surrogates itself). */
export const UNSAFE_IN_JSON = new RegExp(`[\\u007f-\\u009f\\u2028\\u2029${BIDI_CHARS}]`, 'g');
/** In typed input also what does not show: zero-width and other ignorable characters, spaces but ' '. */
const UNSEEN_IN_INPUT = /[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Zl}\p{Zp}\u2800]|(?! )\s/gu;
/** Every control character, tab and newline too: what a one-line record or a commit subject must not hold. */
const LINE_CONTROLS = new RegExp(`[\\t\\n${CONTROL_CHARS}]`, 'g');
const LINE_CONTROLS_BUT_NEWLINE = new RegExp(`[\\t${CONTROL_CHARS}]`, 'g');
const LINE_UNSAFE = new RegExp(`${LINE_CONTROLS.source}|${LONE_SURROGATE}`, 'g');

/** Only characters shown as they are, and nothing `displayText` replaces. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

const NAMED: Record<string, string> = { '\u001b': '\\e', '\n': '\\n', '\t': '\\t', '\r': '\\r' };

/** One character as a person reads it: `\e`, `\n`, `\t`, `\r`, `\xNN`, `\uNNNN`, `\u{NNNNN}`. */
export function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.codePointAt(0)!;
  if (code < 0x80) return `\\x${code.toString(16).padStart(2, '0')}`;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The escape as JSON writes it, `\uNNNN`: for text that tools read back. */
export function unicodeEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * `text` from a file with every unsafe character made visible. `multiline`: newlines and tabs are
 * kept (the caller lays out the lines: a description, a checkpoint); otherwise the text is one field.
 */
export function visible(text: string, { multiline = false } = {}): string {
  if (PRINTABLE_ASCII.test(text)) return text; // most texts: the full pattern costs a listing ~10 ms
  // Bytes of a file that were not UTF-8 (held as lone surrogates) show as U+FFFD, as everywhere.
  return displayText(text).replace(UNSAFE, (c) => (multiline && (c === '\n' || c === '\t') ? c : escapeChar(c)));
}

/** User input shown in a message: cut at 40 characters, and nothing in it may hide or break the line. */
export function printable(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return visible(shown).replace(UNSEEN_IN_INPUT, escapeChar);
}

/** A value on one line of hzl's own records (a History line): controls and newlines as `\uNNNN`. */
export function oneLineRecord(text: string): string {
  return text.replace(LINE_UNSAFE, unicodeEscape);
}

/** A name quoted as JSON, with what JSON leaves raw (C1, separators, bidi) as `\uNNNN` too: one safe token. */
export function quotedName(text: string): string {
  return JSON.stringify(text).replace(UNSAFE_IN_JSON, unicodeEscape);
}

/** Whether a name must be quoted to sit in a line: any unsafe character (or a lone surrogate). */
export function needsQuoting(text: string): boolean {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(text);
}

/** Controls replaced by `by` (`?` in a commit subject, a space in a completion): where no escape can be read. */
export function withoutControls(text: string, by: string, { keepNewlines = false } = {}): string {
  return text.replace(keepNewlines ? LINE_CONTROLS_BUT_NEWLINE : LINE_CONTROLS, by);
}
