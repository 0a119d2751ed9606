// The doctor check for claim fields that disagree with the status (a field-by-field merge of the
// front-matter can leave them): --fix clears what can simply go (core/health.ts).

import { type Finding, problem } from '../core/findings.js';
import { claimMismatch, clearMismatchedClaim } from '../core/health.js';
import type { Task } from '../core/task.js';
import { shellWord } from '../core/shell.js';
import type { Visit } from './doctor-checks.js';

/** What is wrong, worded: `is ready but names author ana`. */
function mismatchText(t: Task, clear: Array<'author' | 'lease_until'>): string {
  const status = t.status.replace('_', ' ');
  if (clear.length === 0) return `is ${status} but has no author`;
  const names = clear.map((field) => (field === 'author' ? `author ${t.author}` : 'a lease'));
  return `is ${status} but ${clear[0] === 'author' ? 'names' : 'has'} ${names.join(' and ')}`;
}

/** Only a file that alone holds its id (and whose name says that id) is fixed by id. */
export async function claimFieldFindings({ ws, fix, actor, at, files, parsed, touched }: Visit): Promise<Finding[]> {
  const out: Finding[] = [];
  const filesPerId = new Map<number, number>();
  for (const f of files) filesPerId.set(f.nameId, (filesPerId.get(f.nameId) ?? 0) + 1);
  for (const f of parsed) {
    const t = f.doc.task;
    const mismatch = claimMismatch(t);
    if (!mismatch) continue;
    const what = mismatchText(t, mismatch.clear);
    const where = { file: f.file };
    if (f.nameId !== t.id || filesPerId.get(t.id) !== 1 || touched.includes(f.path)) {
      out.push(
        problem('claim-fields', `${f.file} ${what}: once its id is its own (see above), run 'hzl doctor' again`, where),
      );
      continue;
    }
    if (mismatch.clear.length === 0) {
      const message =
        `task #${t.id} ${what}: 'hzl task release ${t.id}', ` + `or 'hzl task steal ${t.id} --force --author NAME'`;
      out.push(problem('claim-fields', message, where));
      continue;
    }
    if (!fix) {
      const claimIt = mismatch.clear.includes('author')
        ? ` (or 'hzl task claim ${t.id} --author ${shellWord(t.author ?? '')}', if ${t.author} is on it)`
        : '';
      const verb =
        mismatch.clear.length > 1 ? 'clears them' : mismatch.clear[0] === 'author' ? 'clears it' : 'drops it';
      out.push(problem('claim-fields', `task #${t.id} ${what}: 'hzl doctor --fix' ${verb}${claimIt}`, where));
      continue;
    }
    // Re-read under the lock: only what is still wrong is cleared.
    const result = await ws.store.update(t.id, ({ doc }) => clearMismatchedClaim(doc.task, { actor, now: at }));
    if (result.changed) touched.push(result.before.path);
    const outcome = result.changed ? ': cleared' : ': changed meanwhile, left as it is now';
    out.push(problem('claim-fields', `task #${t.id} ${what}${outcome}`, where, result.changed));
  }
  return out;
}
