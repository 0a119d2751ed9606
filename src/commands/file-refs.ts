// The line of file references that a handoff (or `checkpoint --files`) appends: what git knows
// when the note is written, so that "where to look" is never missing from it.

import { workSince } from '../git/work.js';

const MAX_FILES = 12;

/** A name that could break the line (a comma, a control character) is shown quoted. */
const shownName = (name: string) => (/[\x00-\x1f\x7f,"]/.test(name) ? JSON.stringify(name) : name);

/** `Files: branch main @ 1a2b3c4; changed since the claim: a.ts, b.ts (+3 more)`, on one line. */
export async function fileReferences(dir: string, env: NodeJS.ProcessEnv, since: string | undefined, what: string): Promise<string> {
  const state = await workSince(dir, env, since);
  if (!state) return 'Files: not in a git work tree';
  const where = `branch ${state.branch ?? '(detached)'} @ ${state.head ?? '(no commit yet)'}`;
  const files = [...new Set([...state.committed, ...state.uncommitted])].sort();
  if (files.length === 0) return `Files: ${where}; nothing changed since ${what}`;
  const shown = files.slice(0, MAX_FILES).map(shownName).join(', ');
  const more = files.length > MAX_FILES ? ` (+${files.length - MAX_FILES} more)` : '';
  return `Files: ${where}; changed since ${what}: ${shown}${more}`;
}
