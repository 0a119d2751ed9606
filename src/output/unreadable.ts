// Task files that cannot be read stay in every listing, as unreadable tasks with their file and
// first problem: a malformed file must not make a task silently disappear.

import { type InvalidDataError, MalformedTaskError } from '../core/errors.js';
import { taskIdOfFileName } from '../core/task.js';
import { visible } from './visible.js';

export interface UnreadableTask {
  id: number | null; // from the file name
  file: string | null;
  line: number | null;
  problem: string; // the first problem, with file and line
}

export function unreadableTasks(problems: InvalidDataError[]): UnreadableTask[] {
  return problems.map((p) => {
    const file = p instanceof MalformedTaskError ? p.file : null;
    const name = file?.split('/').pop();
    return {
      id: name === undefined ? null : (taskIdOfFileName(name) ?? null),
      file,
      line: p instanceof MalformedTaskError ? p.line : null,
      problem: p.message,
    };
  });
}

/** The stderr warning for one unreadable task: what is wrong and what to do. */
export function unreadableWarning(u: UnreadableTask): string {
  const which = u.id === null ? 'a task' : `task #${u.id}`;
  return `${which} cannot be read: ${u.problem}; fix the file (hzl doctor lists every problem)`;
}

/** The row of a `list` table: id, status `unreadable`, no priority or author, the problem. */
export function unreadableRow(u: UnreadableTask): string[] {
  return [u.id === null ? '?' : `${u.id}`, 'unreadable', '-', '-', visible(u.problem)];
}

/** One line for prime, the board and claim: `#3 unreadable: file:line: problem`. */
export function unreadableLine(u: UnreadableTask): string {
  return `${u.id === null ? '#?' : `#${u.id}`} unreadable: ${visible(u.problem)}`;
}
