// The line of file references that a handoff (or `checkpoint --files`) appends: what git knows
// when the note is written, so that "where to look" is never missing from it.

import { needsQuoting, quotedName } from '../core/printable.js';
import { workSince } from '../git/work.js';

const MAX_FILES = 12;

/** A name that could break the line (a comma, a quote, a control or bidi character) is shown quoted. */
const shownName = (name: string) => (/[,"]/.test(name) || needsQuoting(name) ? quotedName(name) : name);

/** `Files: branch main @ 1a2b3c4; changed since the claim: a.ts, b.ts (+3 more)`, on one line. */
export async function fileReferences(
  dir: string,
  env: NodeJS.ProcessEnv,
  since: string | undefined,
  what: string,
): Promise<string> {
  const state = await workSince(dir, env, since);
  if (!state) return 'Files: not in a git work tree';
  const where = `branch ${state.branch ?? '(detached)'} @ ${state.head ?? '(no commit yet)'}`;
  const files = [...new Set([...state.committed, ...state.uncommitted])].sort();
  if (files.length === 0) return `Files: ${where}; nothing changed since ${what}`;
  const shown = files.slice(0, MAX_FILES).map(shownName).join(', ');
  const more = files.length > MAX_FILES ? ` (+${files.length - MAX_FILES} more)` : '';
  return `Files: ${where}; changed since ${what}: ${shown}${more}`;
}
