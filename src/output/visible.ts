// The one place that makes text from task files safe to print for people. A hand-edited or merged
// file can hold terminal escapes (which would repaint or retitle a reader's terminal) and line
// breaks or tabs in one-line fields (which would forge rows in piped output). Each such character
// is shown as an escape a person can read: `\e` for ESC, `\n`, `\t`, `\r`, `\xNN` for the other
// C0 controls and DEL, `\uNNNN` for C1 controls, line separators, bidirectional overrides and
// unpaired surrogates. Backslashes are left as they are: the escapes only need to be visible,
// not reversible; --json has the exact text.

import { displayText } from '../core/bytes.js';

/** Control characters, line and paragraph separators, bidi overrides, unpaired surrogates. */
export const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The unsafe characters JSON.stringify leaves raw (it escapes C0 and unpaired surrogates itself). */
export const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\u001b': '\\e', '\n': '\\n', '\t': '\\t', '\r': '\\r' };

export function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every unsafe character made visible. `multiline`: newlines and tabs are kept (the
 * caller lays out the lines: a description, a checkpoint); otherwise the text is one field.
 */
export function visible(text: string, { multiline = false } = {}): string {
  // Bytes of a file that were not UTF-8 (held as lone surrogates) show as U+FFFD, as everywhere.
  return displayText(text).replace(UNSAFE, (c) => (multiline && (c === '\n' || c === '\t') ? c : escapeChar(c)));
}
