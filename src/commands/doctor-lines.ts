// Doctor: every line of a task file's sections that is not an entry as it should be, each with
// file:line and the fix (the parser, and so a listing, names only the first).

import { MalformedTaskError } from '../core/errors.js';
import { type Finding, note, problem } from '../core/findings.js';
import { sectionLineProblems } from '../format/lint.js';
import type { TaskDoc } from '../format/task-file.js';

interface FileSeen {
  file: string;
  text?: string;
  error?: Error;
  doc?: TaskDoc;
}

/** Problems of section lines, after a note per file still in the older layout. */
export function sectionLineFindings(files: FileSeen[]): Finding[] {
  const out: Finding[] = [];
  for (const f of files) {
    if (!f.doc?.source.oldLayout) continue;
    const message =
      `${f.file}: Checkpoints come before History (the older layout); hzl moves them last at its next write, ` +
      'until then a line appended at the end is a History line';
    out.push(note('old-layout', message, f.file));
  }
  for (const f of files) {
    if (f.text === undefined) continue;
    // The parser's own first problem is reported already, as the file's `malformed` finding.
    const reported = f.error instanceof MalformedTaskError ? f.error.line : undefined;
    for (const p of sectionLineProblems(f.text)) {
      if (p.line === reported) continue;
      const code = p.kind === 'unindented' ? 'unindented-line' : 'malformed-line';
      out.push(problem(code, `${f.file}:${p.line}: ${p.reason}`, { file: f.file, line: p.line }));
    }
  }
  return out;
}
