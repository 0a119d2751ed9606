// Doctor: every line of a task file's sections that is not an entry as it should be, each with
// file:line and the fix (the parser, and so a listing, names only the first).

import { MalformedTaskError } from '../core/errors.js';
import { sectionLineProblems } from '../format/lint.js';
import type { TaskDoc } from '../format/task-file.js';

interface FileSeen {
  file: string;
  text?: string;
  error?: Error;
  doc?: TaskDoc;
}

/** Problems of section lines; `notes` gets a line per file still in the older layout. */
export function sectionLineFindings(files: FileSeen[], notes: string[]): Array<{ code: string; file: string; message: string; fixed: boolean }> {
  const out = [];
  for (const f of files) {
    if (!f.doc?.source.oldLayout) continue;
    notes.push(`${f.file}: Checkpoints come before History (the older layout); hzl moves them last at its next write, until then a line appended at the end is a History line`);
  }
  for (const f of files) {
    if (f.text === undefined) continue;
    // The parser's own first problem is reported already, as the file's `malformed` finding.
    const reported = f.error instanceof MalformedTaskError ? f.error.line : undefined;
    for (const p of sectionLineProblems(f.text)) {
      if (p.line === reported) continue;
      const code = p.kind === 'unindented' ? 'unindented-line' : 'malformed-line';
      out.push({ code, file: f.file, message: `${f.file}:${p.line}: ${p.reason}`, fixed: false });
    }
  }
  return out;
}
