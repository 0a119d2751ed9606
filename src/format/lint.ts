// Every line of a task file's sections that hzl cannot read as it should, not only the first:
// `hzl doctor` lists them all, with the line number and what to do.

import { readEntryLine } from './sections.js';

export interface LineProblem {
  line: number; // 1-based file line
  /** `malformed`: the file cannot be read; `unindented`: read as more text of the entry above. */
  kind: 'malformed' | 'unindented';
  reason: string;
}

const HEADING = /^## (Checkpoints|History)[ \t]*$/;

/** The problems of the Checkpoints and History sections of `input`, in file order. */
export function sectionLineProblems(input: string): LineProblem[] {
  const lines = input
    .replace(/^\uFEFF/, '')
    .replace(/\r\n/g, '\n')
    .split('\n');
  if (lines[0] !== '---') return [];
  const close = lines.indexOf('---', 1);
  if (close === -1) return [];
  const sections = sectionRanges(lines, close + 1);
  const out: LineProblem[] = [];
  for (const { name, from, to } of sections) out.push(...problemsIn(lines, from, to, name));
  return out.sort((a, b) => a.line - b.line);
}

/** Where each section's lines are: the heading that comes last ends the file (see task-file.ts). */
function sectionRanges(lines: string[], bodyStart: number) {
  const last = (name: string, before: number) => {
    for (let i = before - 1; i >= bodyStart; i--) if (HEADING.exec(lines[i]!)?.[1] === name) return i;
    return -1;
  };
  const lastCp = last('Checkpoints', lines.length);
  const lastHi = last('History', lines.length);
  const [endName, otherName] = lastCp > lastHi ? ['Checkpoints', 'History'] : ['History', 'Checkpoints'];
  const end = Math.max(lastCp, lastHi);
  if (end === -1) return [];
  const other = last(otherName, end);
  const ranges = [{ name: endName, from: end + 1, to: lines.length }];
  if (other !== -1) ranges.push({ name: otherName, from: other + 1, to: end });
  return ranges;
}

function problemsIn(lines: string[], from: number, to: number, section: string): LineProblem[] {
  const out: LineProblem[] = [];
  let inEntry = false;
  for (let i = from; i < to; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || (line.startsWith('  ') && inEntry)) continue;
    const read = readEntryLine(line);
    if (typeof read !== 'string') {
      inEntry = true;
      continue;
    }
    if (read === 'not-entry' && inEntry) {
      out.push({
        line: i + 1,
        kind: 'unindented',
        reason:
          `this line is read as more text of the ${section} entry above; indent it two spaces, ` +
          "or start it with '- [2024-01-15T10:30:00Z] author: ' to make it an entry of its own",
      });
      continue;
    }
    const what =
      read === 'bad-time'
        ? 'its time is not a moment that exists; write it like 2024-01-15T10:30:00Z'
        : `this line is not a ${section} entry; write it as '- [2024-01-15T10:30:00Z] author: text' ` +
          '(further lines indented two spaces)';
    out.push({ line: i + 1, kind: 'malformed', reason: what });
  }
  return out;
}
