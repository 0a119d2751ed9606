// A rebuildable cache of task summaries (front-matter, last checkpoint, last activity), so that
// listing many tasks does not parse every file. It lives in the never-versioned state dir, each
// entry is trusted only while its file has the same size, inode, mtime and ctime (every hzl write
// renames a new file into place, so the inode changes; any other write or touch changes the
// ctime, which cannot be set back), and a missing or corrupt cache is simply rebuilt. Writes
// never use it: they re-read the file under the task's lock.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Entry, TaskFields } from '../core/task.js';
import { lastActivity } from '../core/query.js';
import { latestHandoff } from '../core/transitions.js';
import type { TaskDoc } from '../format/task-file.js';
import { writeFileAtomic } from './atomic.js';

export interface TaskSummary extends TaskFields {
  file: string;
  extra: Record<string, unknown>;
  lastCheckpoint: Entry | null;
  lastHandoff: Entry | null;
  lastActivity: string;
}

export function summarize(doc: TaskDoc, file: string): TaskSummary {
  const { description: _d, checkpoints, history: _h, ...fields } = doc.task;
  return {
    ...fields,
    file,
    extra: doc.extra,
    lastCheckpoint: checkpoints.at(-1) ?? null,
    lastHandoff: latestHandoff(doc.task) ?? null,
    lastActivity: lastActivity(doc.task),
  };
}

export interface FileStamp {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

interface CacheEntry extends FileStamp {
  summary: TaskSummary;
}

const VERSION = 2;

export class SummaryIndex {
  private entries: Record<string, CacheEntry> = {};
  private dirty = false;
  private readonly path: string;

  constructor(stateDir: string) {
    this.path = join(stateDir, 'index.json');
    try {
      const data = JSON.parse(readFileSync(this.path, 'utf8')) as { version?: number; entries?: Record<string, CacheEntry> };
      if (data.version === VERSION && data.entries && typeof data.entries === 'object') this.entries = data.entries;
    } catch {
      // Missing or corrupt: start empty, rebuilt as files are read.
    }
  }

  get(name: string, stamp: FileStamp): TaskSummary | undefined {
    const e = this.entries[name];
    const same = e && e.size === stamp.size && e.mtimeMs === stamp.mtimeMs && e.ctimeMs === stamp.ctimeMs && e.ino === stamp.ino;
    if (!same) return undefined;
    return e.summary;
  }

  set(name: string, stamp: FileStamp, summary: TaskSummary): void {
    this.entries[name] = { size: stamp.size, mtimeMs: stamp.mtimeMs, ctimeMs: stamp.ctimeMs, ino: stamp.ino, summary };
    this.dirty = true;
  }

  /** Drops entries of files that are gone, then saves if anything changed. A failed save is harmless. */
  save(present: Set<string>): void {
    for (const name of Object.keys(this.entries)) {
      if (!present.has(name)) {
        delete this.entries[name];
        this.dirty = true;
      }
    }
    if (!this.dirty) return;
    try {
      writeFileAtomic(this.path, JSON.stringify({ version: VERSION, entries: this.entries }));
      this.dirty = false;
    } catch {
      // Read-only state dir, disk full: the next run rebuilds.
    }
  }
}
