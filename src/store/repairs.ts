// Repairs that `hzl doctor --fix` makes to task files beyond ordinary writes (renumbering lives in
// TaskStore, under the id counter's lock).

import { rmSync } from 'node:fs';
import { type TaskDoc, taskFileBytes } from '../format/task-file.js';
import { writeFileAtomic } from './atomic.js';

/** A file whose name says another id than its front-matter: the same task under the right name. */
export function renameTaskFile(from: string, to: string, doc: TaskDoc): void {
  writeFileAtomic(to, taskFileBytes(doc.source.text, doc));
  rmSync(from);
}
