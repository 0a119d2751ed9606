// The Checkpoints and History sections: one `- [time] author: text` line per entry,
// further lines of the text indented two spaces. Nothing a text contains can start a new entry.
// Hand-written forms (other time formats, no author, unindented lines) are read as well.

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
/** Words hzl itself starts a text with: after the time they are text, never an author. */
const TEXT_PREFIXES = new Set(['HANDOFF', 'BLOCKED']);

/**
 * Why `entry` cannot be written as a line the parser reads back as the same entry, if it cannot.
 * Every entry goes through here, so no caller (whatever it was given) can forge or break a line.
 */
export function entryProblem(entry: Entry): string | undefined {
  if (!isStamp(entry.at)) return `its time '${printable(entry.at)}' is not a UTC time like 2024-01-15T10:30:00Z`;
  if (!ENTRY_AUTHOR.test(entry.author))
    return `its author '${printable(entry.author)}' is empty or has ':', '[', ']' or a line break`;
  if (TEXT_PREFIXES.has(entry.author)) return `its author '${entry.author}' would be read as the start of its text`;
  if (FIRST_LINE_BREAK.test(entry.text))
    return 'the first line of its text has a carriage return or a Unicode line separator';
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

/** A section as read: its entries, and where hand-written lines differ from what hzl writes. */
export interface ParsedSection {
  entries: Entry[];
  /** Some line is not in the form hzl writes: the next write into the section rewrites it. */
  loose: boolean;
}

/**
 * Parses the lines of one section. `firstLine` is the file line number of lines[0],
 * so that errors point at the right place. Hand-written forms are read (see readEntryLine).
 */
export function parseSection(lines: string[], file: string, firstLine: number, section: string): ParsedSection {
  const out: ParsedSection = { entries: [], loose: false };
  let current: Entry | undefined;
  // Blank lines seen since the last text line: part of the text only if more text follows.
  // A whitespace-only line of a text (rendered as two spaces + itself) keeps its whitespace.
  let blanks: string[] = [];
  const addText = (line: string) => {
    current!.text += ['', ...blanks, line].join('\n');
    blanks = [];
  };
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') {
      blanks.push(line.startsWith('  ') ? line.slice(2) : '');
      continue;
    }
    if (line.startsWith('  ') && current) {
      addText(line.slice(2));
      continue;
    }
    const read = readEntryLine(line);
    if (read === 'not-entry' && current) {
      // A paragraph typed under an entry: kept as its text, never dropped; doctor points at it.
      out.loose = true;
      addText(line);
      continue;
    }
    blanks = [];
    if (typeof read === 'string') {
      throw new MalformedTaskError(file, firstLine + i, entryLineProblem(section, read));
    }
    if (!read.canonical) out.loose = true;
    current = read.entry;
    out.entries.push(current);
  }
  return out;
}

const ENTRY_FORM = "'- [2024-01-15T10:30:00Z] author: text' (further lines indented two spaces)";

function entryLineProblem(section: string, why: 'not-entry' | 'bad-time'): string {
  const form = `expected a ${section} line like ${ENTRY_FORM}`;
  return why === 'bad-time' ? `${form}; its time is not a moment that exists` : form;
}

// `- [time] rest`, the bullet optional (`show` prints none).
const LOOSE_ENTRY = /^(?:[-*] )?\[([^\]]*)\] ?(.*)$/;
// After the time: `author: text`, `author:` alone, or `(author) text` as `show` prints it.
const AUTHOR_COLON = /^([^:[\]]+?):(?: (.*))?$/;
const AUTHOR_PARENS = /^\(([^:[\]()]+)\)(?: (.*))?$/;
/** Who an entry written with no author is credited to. */
export const NO_AUTHOR = 'unknown';

/**
 * One line as an entry: the canonical form, or a form people and agents write by hand.
 * 'not-entry' when it does not look like one; 'bad-time' when it does but its time cannot be read.
 */
export function readEntryLine(line: string): { entry: Entry; canonical: boolean } | 'not-entry' | 'bad-time' {
  const m = ENTRY.exec(line);
  if (m && isStamp(m[1]) && !TEXT_PREFIXES.has(m[2]!)) {
    return { entry: { at: m[1]!, author: nfc(m[2]!), text: m[3] ?? '' }, canonical: true };
  }
  const loose = LOOSE_ENTRY.exec(line);
  if (!loose) return 'not-entry';
  const at = readLooseTime(loose[1]!);
  if (at === undefined) return line.startsWith('- [') ? 'bad-time' : 'not-entry';
  const rest = loose[2]!;
  const colon = AUTHOR_COLON.exec(rest);
  const parens = AUTHOR_PARENS.exec(rest);
  let entry: Entry;
  if (colon && !TEXT_PREFIXES.has(colon[1]!.trim()) && colon[1]!.trim() !== '') {
    entry = { at, author: nfc(colon[1]!.trim()), text: colon[2] ?? '' };
  } else if (parens && parens[1]!.trim() !== '') {
    entry = { at, author: nfc(parens[1]!.trim()), text: parens[2] ?? '' };
  } else {
    entry = { at, author: NO_AUTHOR, text: rest };
  }
  return { entry, canonical: false };
}

// 2024-01-15T10:30, 2024-01-15 10:30:00, …:00.123Z, …+02:00, …-0500
const LOOSE_TIME = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?\s*(Z|[+-]\d\d:?\d\d)?$/i;

/** A hand-written time as a UTC stamp; no zone means UTC. Undefined when it names no moment. */
export function readLooseTime(text: string): string | undefined {
  const m = LOOSE_TIME.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '00', zone = 'Z'] = m;
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const wall = `${y}-${mo}-${d}T${h}:${mi}:${s}Z`;
  if (!isStamp(wall)) return undefined; // February 31st, 25:00
  const time = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
  if (Number.isNaN(time)) return undefined;
  const stamp = new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return isStamp(stamp) ? stamp : undefined;
}

/** A section's entries in the form hzl writes, as the text after its heading. */
export function renderSectionBody(entries: Entry[], blankLineAfter: boolean): string {
  if (entries.length === 0) return blankLineAfter ? '\n' : '';
  return `\n${entries.map(renderEntry).join('\n')}\n${blankLineAfter ? '\n' : ''}`;
}

/** Adds entries after the last entry of a section's raw text, keeping the spacing around it. */
function appendEntries(raw: string, entries: Entry[], blankLineAfter: boolean): string {
  if (entries.length === 0) return raw;
  const added = entries.map(renderEntry).join('\n');
  const lines = raw.split('\n');
  let last = lines.length - 1;
  while (last >= 0 && lines[last]!.trim() === '') last--;
  if (last < 0) return `\n${added}\n${blankLineAfter ? '\n' : ''}`;
  lines.splice(last + 1, 0, added);
  return lines.join('\n');
}

/**
 * A section's text after this write: new entries appended to the lines as they were, or, when
 * the section holds hand-written forms and gains an entry, every entry in the form hzl writes.
 * `moved`: the section changes place (old layout), so its spacing is set for its new place.
 */
export function writeSection(
  raw: string,
  loose: boolean,
  before: Entry[],
  after: Entry[],
  blankLineAfter: boolean,
  moved: boolean,
): string {
  const added = after.slice(before.length);
  if (loose && added.length > 0) return renderSectionBody(after, blankLineAfter);
  const text = appendEntries(raw, added, blankLineAfter);
  if (!moved) return text;
  const kept = text.replace(/(?:\n[ \t]*)+$/, '');
  if (kept.trim() === '') return blankLineAfter ? '\n' : '';
  return `${kept}\n${blankLineAfter ? '\n' : ''}`;
}
