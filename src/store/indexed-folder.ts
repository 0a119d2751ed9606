// The folder index (folder-index.ts) as the store uses it: looked up while it holds for the folder
// as it is now, saved by listings of a quiet folder, and carried forward by hzl's own writes under
// a short lock of its own, so that the next single-task command needs no listing either.

import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import type { Task } from '../core/task.js';
import {
  type ChildRow,
  type FolderIndex,
  carriedForward,
  indexedChildren,
  indexedNames,
  loadFolderIndex,
  readFolderStamp,
  renderFolderIndex,
  saveFolderIndex,
  withoutFile,
} from './folder-index.js';
import { withLock } from './lock.js';
import { type FileStamp, stampIsRacy } from './stamped-cache.js';
import type { TaskFolder } from './task-folder.js';

/** How long a write waits for the index's lock before writing without carrying it forward. */
const LOCK_WAIT_MS = 2_000;

export class IndexedFolder {
  private loaded: FolderIndex | undefined;
  private loadedFor: number | undefined; // the folder mtime when it was last read from disk

  constructor(
    private readonly cacheDir: string,
    private readonly folder: TaskFolder,
  ) {}

  /** The index, if it holds for the folder as it is now (read again when the folder changed since). */
  current(): FolderIndex | undefined {
    const mtime = this.folder.mtime();
    if (mtime === undefined) return undefined;
    if (this.loaded?.folderMtimeMs === mtime) return this.loaded;
    if (this.loadedFor !== mtime) {
      // Another process may have carried it forward. The stamp first: the index only if it holds.
      const stamp = readFolderStamp(this.cacheDir);
      this.loaded = stamp?.folderMtimeMs === mtime ? loadFolderIndex(this.cacheDir, stamp) : undefined;
      this.loadedFor = mtime;
    }
    return this.loaded?.folderMtimeMs === mtime ? this.loaded : undefined;
  }

  /** The names of `id`'s files by the index; undefined when it does not hold now. */
  names(id: number): string[] | undefined {
    const index = this.current();
    return index && indexedNames(index, id);
  }

  /** The rows of `parent`'s subtasks by the index; undefined when it does not hold now. */
  children(parent: number): ChildRow[] | undefined {
    const index = this.current();
    return index && indexedChildren(index, parent);
  }

  /**
   * Runs `write`, which replaces the task file `name` (or, `added`, creates it) with `task`, and
   * carries the index forward: under the index's lock, only if the index held for the folder
   * just before the write, with the folder's mtime just after. Should the lock not come, the
   * write happens all the same and the index is left to the next listing.
   */
  write(name: string, added: boolean, task: Task, write: () => void): void {
    this.carrying(write, (index) => {
      const stamp = stampOf(join(this.folder.dir, name));
      if (!stamp) return undefined;
      const row = task.parent === undefined ? undefined : rowOf(name, task, task.parent, stamp, true);
      return carriedForward(index, name, row, added);
    });
  }

  /** Runs `remove`, which deletes the task file `name`, and carries the index forward as `write` does. */
  remove(name: string, remove: () => void): void {
    this.carrying(remove, (index) => withoutFile(index, name));
  }

  /** Runs `change` under the index's lock, then saves the body `carry` makes of the index that held. */
  private carrying(change: () => void, carry: (index: FolderIndex) => string | undefined): void {
    let changed = false;
    const changeOnce = () => {
      changed = true;
      change();
    };
    const lock = join(this.cacheDir, 'locks', 'folder.lock'); // the worktree's own, as the index is
    try {
      withLock(lock, { what: 'the folder index', timeoutMs: LOCK_WAIT_MS }, () => this.carryAround(changeOnce, carry));
    } catch (err) {
      if (changed) throw err;
      change(); // the lock did not come (or its folder cannot be made): the cache must never stop a write
    }
  }

  private carryAround(write: () => void, carry: (index: FolderIndex) => string | undefined): void {
    const before = this.folder.mtime();
    const saved = readFolderStamp(this.cacheDir);
    if (before === undefined || saved?.folderMtimeMs !== before) {
      write(); // the index did not hold: left to the next listing
      return;
    }
    // The index this run looked the task up in, if it is the one saved: 420 KB at 10,000 tasks
    // are not read twice.
    const memo = this.loaded;
    const same = memo?.generation === saved.generation && memo.folderMtimeMs === before;
    const index = same ? memo : loadFolderIndex(this.cacheDir, saved);
    write();
    const after = this.folder.mtime();
    if (!index || after === undefined) return;
    const body = carry(index);
    const carried = body === undefined ? undefined : saveFolderIndex(this.cacheDir, body, after, index);
    if (!carried) return;
    this.loaded = carried;
    this.loadedFor = after;
  }
}

/** What a listing saw of a task that names a parent. */
export interface ListedChild {
  name: string;
  stamp: FileStamp;
  task: Pick<Task, 'id' | 'status' | 'title'> & { parent: number };
}

/**
 * Saves the index from a listing that `folder` just made, if the folder had been quiet (its
 * `remembered` listing still holds): every name it listed, and the rows of `children`, those
 * stamped within a tick of their change marked to be read again.
 */
export function saveListedIndex(cacheDir: string, folder: TaskFolder, children: ListedChild[], stampedAt: number) {
  const byId = folder.remembered();
  const mtime = folder.quietMtime();
  if (!byId || mtime === undefined) return;
  const rows = children.map((c) => rowOf(c.name, c.task, c.task.parent, c.stamp, stampIsRacy(c.stamp, stampedAt)));
  const body = renderFolderIndex([...byId.values()].flat(), rows);
  if (body !== undefined) saveFolderIndex(cacheDir, body, mtime, loadFolderIndex(cacheDir));
}

function rowOf(
  name: string,
  task: Pick<Task, 'id' | 'status' | 'title'>,
  parent: number,
  stamp: FileStamp,
  verify: boolean,
): ChildRow {
  return { name, parent, id: task.id, status: task.status, title: task.title, stamp: { ...stamp }, verify };
}

function stampOf(path: string): FileStamp | undefined {
  try {
    const st = lstatSync(path);
    return st.isFile() ? { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino } : undefined;
  } catch {
    return undefined;
  }
}
