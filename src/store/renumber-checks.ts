// What `TaskStore.renumber` checks under its locks before it writes: the file as it is now (not
// as the caller read it earlier), a target id no other file has, and a counter that never goes down.

import { existsSync } from 'node:fs';
import { ConflictError, HzlError } from '../core/errors.js';
import { decodeBytes } from '../core/bytes.js';
import { type TaskDoc, parseTaskFile } from '../format/task-file.js';
import { writeFileAtomic } from './atomic.js';
import { readRegularFile, readRegularFileBytes } from './regular-file.js';

/** The task in `path` now, or undefined when it is gone; a conflict when its id is no longer `expectedId`. */
export function freshCopy(path: string, file: string, expectedId: number, retry: string): TaskDoc | undefined {
  if (!existsSync(path)) return undefined;
  let doc: TaskDoc;
  try {
    doc = parseTaskFile(decodeBytes(readRegularFileBytes(path)), file);
  } catch (err) {
    if (!(err instanceof HzlError)) throw err;
    throw new ConflictError(`${file} changed meanwhile and no longer reads as a task (${err.message}): ${retry}`);
  }
  if (doc.task.id !== expectedId) {
    throw new ConflictError(`${file} changed meanwhile (its id is now ${doc.task.id}, not ${expectedId}): ${retry}`);
  }
  return doc;
}

/** Refuses an id that a file here already has, and a target file that is already there. */
export function refuseTakenTarget(id: number, usedBy: string[] | undefined, target: string, rel: string): void {
  const other = usedBy?.[0] ?? (existsSync(target) ? rel : undefined);
  if (other === undefined) return;
  throw new ConflictError(
    `task #${id} is already used by ${other}: nothing was renumbered; run 'hzl doctor' to see the ids in use`,
  );
}

/** The counter records the highest id handed out: a lower one (reserved through a remote) leaves it. */
export function raiseCounter(counter: string, id: number): void {
  let current = 0;
  try {
    current = Number(readRegularFile(counter).trim());
  } catch {
    // Missing or not a regular file: the new id is all there is.
  }
  if (!Number.isSafeInteger(current) || current < id) writeFileAtomic(counter, `${id}\n`);
}
