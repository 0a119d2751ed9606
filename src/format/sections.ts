// The Checkpoints and History sections: one `- [time] author: text` line per entry,
// further lines of the text indented two spaces. Nothing a text contains can start a new entry.

import { InvalidDataError, MalformedTaskError } from '../core/errors.js';
import type { Entry } from '../core/task.js';
import { isStamp } from '../core/time.js';
import { nfc, printable } from '../core/validate.js';

const ENTRY = /^- \[([^\]]*)\] ([^:[\]]+?):(?: (.*))?$/;
// What ENTRY reads back: an author without `:`, `[`, `]` or a newline, a first line of text
// without the characters `.` stops at, and no CR at a line's end (CRLF is read as LF).
const ENTRY_AUTHOR = /^[^:[\]\n]+$/;
const FIRST_LINE_BREAK = /^[^\n]*[\r\u2028\u2029]/;
const CR_AT_LINE_END = /\r(?:\n|$)/;

/**
 * Why `entry` cannot be written as a line the parser reads back as the same entry, if it cannot.
 * Every entry goes through here, so no caller (whatever it was given) can forge or break a line.
 */
export function entryProblem(entry: Entry): string | undefined {
  if (!isStamp(entry.at)) return `its time '${printable(entry.at)}' is not a UTC time like 2024-01-15T10:30:00Z`;
  if (!ENTRY_AUTHOR.test(entry.author)) return `its author '${printable(entry.author)}' is empty or has ':', '[', ']' or a line break`;
  if (FIRST_LINE_BREAK.test(entry.text)) return 'the first line of its text has a carriage return or a Unicode line separator';
  if (CR_AT_LINE_END.test(entry.text)) return 'its text has a carriage return at the end of a line';
  return undefined;
}

export function renderEntry(entry: Entry): string {
  const problem = entryProblem(entry);
  if (problem) throw new InvalidDataError(`cannot write the entry by '${printable(entry.author)}': ${problem}`);
  const [first = '', ...rest] = entry.text.split('\n');
  const lines = [`- [${entry.at}] ${entry.author}: ${first}`];
  for (const line of rest) lines.push(line === '' ? '' : `  ${line}`);
  return lines.join('\n');
}

/**
 * Parses the lines of one section. `firstLine` is the file line number of lines[0],
 * so that errors point at the right place.
 */
export function parseEntries(lines: string[], file: string, firstLine: number, section: string): Entry[] {
  const entries: Entry[] = [];
  let current: Entry | undefined;
  // Blank lines seen since the last text line: part of the text only if more text follows.
  // A whitespace-only line of a text (rendered as two spaces + itself) keeps its whitespace.
  let blanks: string[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') {
      blanks.push(line.startsWith('  ') ? line.slice(2) : '');
      return;
    }
    if (line.startsWith('  ') && current) {
      current.text += ['', ...blanks, line.slice(2)].join('\n');
      blanks = [];
      return;
    }
    blanks = [];
    const m = ENTRY.exec(line);
    if (!m || !isStamp(m[1])) {
      throw new MalformedTaskError(
        file,
        firstLine + i,
        `expected a ${section} line like '- [2024-01-15T10:30:00Z] author: text' (further lines indented two spaces)`,
      );
    }
    current = { at: m[1]!, author: nfc(m[2]!), text: m[3] ?? '' };
    entries.push(current);
  });
  return entries;
}

/** Adds entries after the last entry of a section's raw text, keeping the spacing around it. */
export function appendEntries(raw: string, entries: Entry[], blankLineAfter: boolean): string {
  if (entries.length === 0) return raw;
  const added = entries.map(renderEntry).join('\n');
  const lines = raw.split('\n');
  let last = lines.length - 1;
  while (last >= 0 && lines[last]!.trim() === '') last--;
  if (last < 0) return `\n${added}\n${blankLineAfter ? '\n' : ''}`;
  lines.splice(last + 1, 0, added);
  return lines.join('\n');
}
