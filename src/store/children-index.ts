// `children.json`: which task files name which parent, so that `show` and `complete` learn a
// task's subtasks without listing the whole folder. A listing saves it, with the tasks folder's
// mtime, when the folder had been quiet. It is trusted while the folder keeps that mtime: no file
// was added, removed or replaced by a rename (as every hzl write, git and most editors do), and
// each child's row only while its file keeps its stamp. A file rewritten in place to name a new
// parent leaves the folder's mtime alone: it is seen at the next listing (docs/decisions.md).

import { lstatSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Status, isStatus } from '../core/task.js';
import { writeFileAtomic } from './atomic.js';
import { readRegularFile } from './regular-file.js';
import { type FileStamp, type Row, col, decodeRow, stampIsRacy } from './stamped-cache.js';

/** A subtask as `show` and `complete` need it. */
export interface Child {
  id: number;
  status: Status;
  title: string;
}

/** A task that names a parent, with the stamp of its file when it was read. */
export interface ChildFile extends Child {
  name: string;
  stamp: FileStamp;
  parent: number;
}

const VERSION = 1;
const FILE = 'children.json';
const status = ((v) => isStatus(v)) as (v: unknown) => v is Status;
const CHILD = [col.number, col.number, status, col.string] as const; // parent, id, status, title

/** The children of `parent` as last saved, or undefined when the save cannot be trusted now. */
export function savedChildren(
  cacheDir: string,
  tasksDir: string,
  folderMtimeMs: number,
  parent: number,
): Child[] | undefined {
  let doc: { version?: unknown; folderMtimeMs?: unknown; rows?: unknown };
  try {
    doc = JSON.parse(readRegularFile(join(cacheDir, FILE))) as typeof doc;
  } catch {
    return undefined; // missing or corrupt
  }
  if (doc.version !== VERSION || doc.folderMtimeMs !== folderMtimeMs || !Array.isArray(doc.rows)) return undefined;
  const children: Child[] = [];
  for (const row of doc.rows as Row[]) {
    const payload = Array.isArray(row) ? decodeRow(row, CHILD) : undefined;
    if (!payload) return undefined; // another shape: as good as none
    const [of, id, childStatus, title] = payload;
    if (of !== parent) continue;
    if (!sameStamp(join(tasksDir, String(row[0])), row)) return undefined; // edited in place: list again
    children.push({ id, status: childStatus, title });
  }
  return children.sort((a, b) => a.id - b.id);
}

function sameStamp(path: string, row: Row): boolean {
  try {
    const st = lstatSync(path);
    return st.isFile() && st.size === row[1] && st.mtimeMs === row[2] && st.ctimeMs === row[3] && st.ino === row[4];
  } catch {
    return false;
  }
}

/**
 * Saves the children a listing found in a folder that had mtime `folderMtimeMs` and had been
 * quiet. Not when a child's stamp is racy (it could change unseen in the same tick), nor when
 * nothing changed. A failed save is harmless: the next `show` lists the folder.
 */
export function saveChildren(cacheDir: string, folderMtimeMs: number, files: ChildFile[], stampedAt: number): void {
  if (files.some((f) => stampIsRacy(f.stamp, stampedAt))) return;
  const rows = files.map((f) => [
    f.name,
    f.stamp.size,
    f.stamp.mtimeMs,
    f.stamp.ctimeMs,
    f.stamp.ino,
    f.parent,
    f.id,
    f.status,
    f.title,
  ]);
  const text = JSON.stringify({ version: VERSION, folderMtimeMs, rows });
  const path = join(cacheDir, FILE);
  try {
    if (readRegularFile(path) === text) return;
  } catch {
    // None yet.
  }
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeFileAtomic(path, text);
  } catch {
    // Read-only, disk full: the next `show` lists the folder.
  }
}
