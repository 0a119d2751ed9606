// A task's subtasks for `show` and `complete`: from the folder index while it holds for the folder
// (no listing of 10,000 files for one task), else from a listing.

import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { HzlError } from '../core/errors.js';
import type { Child, ChildRow } from './folder-index.js';
import type { IndexedFolder } from './indexed-folder.js';
import { type ListingSource, listTasks } from './task-listings.js';

/** Tasks whose `parent` is `id`. */
export function childrenOf(src: ListingSource, indexed: IndexedFolder, id: number): Child[] {
  const rows = indexed.children(id);
  const indexedChildren = rows && fromRows(src, rows, id);
  if (indexedChildren) return indexedChildren;
  return listTasks(src, {})
    .tasks.filter((t) => t.parent === id)
    .map(({ id, status, title }) => ({ id, status, title }));
}

/**
 * The children the rows name, each checked against its file: a file with another stamp than its
 * row's (rewritten in place), or one stamped too soon after a change to tell, is read again.
 * Undefined when a file is gone or no longer reads: only a listing can say what is there now.
 */
function fromRows(src: ListingSource, rows: ChildRow[], parent: number): Child[] | undefined {
  const children: Child[] = [];
  for (const row of rows) {
    if (!row.verify && sameStamp(join(src.project.tasksDir, row.name), row)) {
      children.push({ id: row.id, status: row.status, title: row.title });
      continue;
    }
    const task = readAgain(src, row.name);
    if (!task) return undefined;
    if (task.parent === parent) children.push({ id: task.id, status: task.status, title: task.title });
  }
  return children.sort((a, b) => a.id - b.id);
}

function readAgain(src: ListingSource, name: string) {
  try {
    return src.load(name).doc.task;
  } catch (err) {
    if (err instanceof HzlError) return undefined;
    throw err;
  }
}

function sameStamp(path: string, row: ChildRow): boolean {
  try {
    const st = lstatSync(path);
    const { size, mtimeMs, ctimeMs, ino } = row.stamp;
    return st.isFile() && st.size === size && st.mtimeMs === mtimeMs && st.ctimeMs === ctimeMs && st.ino === ino;
  } catch {
    return false;
  }
}
