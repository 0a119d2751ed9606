// Reading and writing task files. IDs come from file names and are checked against the
// front-matter; every change is a read-modify-write under the task's lock, re-reading the file
// under the lock and writing through a temp file and rename.

import { type Dirent, existsSync, lstatSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { HzlError, InvalidDataError, MalformedTaskError, NotFoundError } from '../core/errors.js';
import type { Task } from '../core/task.js';
import { type TaskDoc, parseTaskFile, renderTaskFile } from '../format/task-file.js';
import { writeFileAtomic } from './atomic.js';
import { withLock, withLockAsync } from './lock.js';
import { type FileStamp, SummaryIndex, type TaskSummary, summarize } from './summary-index.js';
import { type Project, findGit, otherWorktreeRoots } from './project.js';

const TASK_FILE = /^([1-9]\d{0,8})(?:-[^/\\]*)?\.md$/;

export interface StoredTask {
  doc: TaskDoc;
  file: string; // path relative to the project root, for messages
  path: string;
}

export interface ListResult {
  tasks: StoredTask[];
  problems: InvalidDataError[];
}

export interface WriteResult {
  before: StoredTask;
  task: Task;
  changed: boolean;
}

export class TaskStore {
  constructor(readonly project: Project) {}

  /** File names in tasks/ by ID. A task normally has one; more means a merge left a duplicate. */
  private entries(): Map<number, Dirent[]> {
    const byId = new Map<number, Dirent[]>();
    let dirents: Dirent[];
    try {
      dirents = readdirSync(this.project.tasksDir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new InvalidDataError(`${this.rel(this.project.tasksDir)}/ is missing: run 'hzl init' to restore it`);
      }
      throw err;
    }
    for (const d of dirents) {
      const m = TASK_FILE.exec(d.name);
      if (!m) continue;
      const id = Number(m[1]);
      byId.set(id, [...(byId.get(id) ?? []), d]);
    }
    return byId;
  }

  ids(): number[] {
    return [...this.entries().keys()].sort((a, b) => a - b);
  }

  has(id: number): boolean {
    return this.entries().has(id);
  }

  read(id: number): StoredTask {
    const found = this.entries().get(id);
    if (!found) throw new NotFoundError(`task #${id} not found: 'hzl task list' shows the tasks there are`);
    if (found.length > 1) {
      const names = found.map((d) => d.name).join(', ');
      throw new InvalidDataError(`task #${id} has more than one file (${names}): run 'hzl doctor' to sort them out`);
    }
    return this.load(found[0]!);
  }

  /** A linked task (a dependency, a parent), or undefined when it is missing or does not parse. */
  find(id: number): Task | undefined {
    try {
      return this.read(id).doc.task;
    } catch (err) {
      if (err instanceof HzlError) return undefined;
      throw err;
    }
  }

  /**
   * Every task that parses; files that do not are returned as problems, not thrown.
   * `mayMatch`, given a file's raw text, skips parsing the files it rules out.
   */
  list(mayMatch?: (text: string) => boolean): ListResult {
    const tasks: StoredTask[] = [];
    const problems: InvalidDataError[] = [];
    for (const group of this.entries().values()) {
      for (const d of group) {
        if (mayMatch && d.isFile()) {
          try {
            if (!mayMatch(readFileSync(join(this.project.tasksDir, d.name), 'utf8'))) continue;
          } catch {
            // Unreadable: load() below reports it.
          }
        }
        try {
          tasks.push(this.load(d));
        } catch (err) {
          if (err instanceof InvalidDataError) problems.push(err);
          else throw err;
        }
      }
    }
    tasks.sort((a, b) => a.doc.task.id - b.doc.task.id);
    return { tasks, problems };
  }

  /**
   * Read-modify-write of one task under its lock. `change` gets the freshly read task and returns
   * the new one; nothing is written when the text would not change.
   */
  update(id: number, change: (current: StoredTask) => Task | Promise<Task>): Promise<WriteResult> {
    return withLockAsync(this.lockPath(`task-${id}`), { what: `task #${id}` }, async () => {
      const before = this.read(id);
      const task = await change(before);
      const text = renderTaskFile(task, before.doc);
      const changed = text !== before.doc.source.text;
      if (changed) writeFileAtomic(before.path, text);
      return { before, task, changed };
    });
  }

  /**
   * Creates a task with the next ID. The ID lock is held until the file exists, so parallel
   * adds in any worktree of the clone never mint the same number.
   */
  create(build: (id: number) => Task, slug: string, seenElsewhere = 0): StoredTask {
    return withLock(this.lockPath('ids'), { what: 'the task id counter' }, () => {
      const id = Math.max(this.highestId(), this.highestInOtherWorktrees(), seenElsewhere) + 1;
      const task = build(id);
      const name = slug ? `${id}-${slug}.md` : `${id}.md`;
      const path = join(this.project.tasksDir, name);
      writeFileAtomic(path, renderTaskFile(task));
      writeFileAtomic(this.counterPath(), `${id}\n`);
      return { doc: parseTaskFile(renderTaskFile(task), this.rel(path)), file: this.rel(path), path };
    });
  }

  /**
   * A summary of every task that parses (fields, last checkpoint, last activity), from the
   * summary index where a file is unchanged, else parsed. Files that do not parse are problems.
   */
  summaries(): { tasks: TaskSummary[]; problems: InvalidDataError[] } {
    const index = new SummaryIndex(this.project.stateDir);
    const tasks: TaskSummary[] = [];
    const problems: InvalidDataError[] = [];
    const present = new Set<string>();
    for (const group of this.entries().values()) {
      for (const d of group) {
        const path = join(this.project.tasksDir, d.name);
        let stamp: FileStamp | undefined;
        try {
          const st = lstatSync(path);
          if (st.isFile()) stamp = { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino };
        } catch {
          continue; // removed while we looked
        }
        const cached = stamp && index.get(d.name, stamp);
        if (cached) {
          present.add(d.name);
          tasks.push(cached);
          continue;
        }
        try {
          const stored = this.load(d);
          const summary = summarize(stored.doc, stored.file);
          if (stamp) {
            index.set(d.name, stamp, summary);
            present.add(d.name);
          }
          tasks.push(summary);
        } catch (err) {
          if (err instanceof InvalidDataError) problems.push(err);
          else throw err;
        }
      }
    }
    index.save(present);
    tasks.sort((a, b) => a.id - b.id);
    return { tasks, problems };
  }

  /** Tasks whose `parent` is `id`. */
  childrenOf(id: number): TaskSummary[] {
    return this.summaries().tasks.filter((t) => t.parent === id);
  }

  /** The highest ID ever handed out in this clone: files present, or the counter left behind. */
  highestId(): number {
    let highest = 0;
    for (const id of this.entries().keys()) highest = Math.max(highest, id);
    const counter = this.counterPath();
    if (existsSync(counter)) {
      const n = Number(readFileSync(counter, 'utf8').trim());
      if (Number.isSafeInteger(n) && n > highest) highest = n;
    }
    return highest;
  }

  /** Every task file as it is, parsed or with the reason it does not parse: for `hzl doctor`. */
  inspect(): Array<{ name: string; nameId: number; path: string; file: string; text?: string; doc?: TaskDoc; error?: InvalidDataError }> {
    const out = [];
    for (const [nameId, group] of this.entries()) {
      for (const d of group) {
        const path = join(this.project.tasksDir, d.name);
        const file = this.rel(path);
        let text: string | undefined;
        try {
          if (d.isFile()) text = readFileSync(path, 'utf8');
        } catch {
          // Reported through load() below.
        }
        try {
          const { doc } = this.load(d);
          out.push({ name: d.name, nameId, path, file, text, doc });
        } catch (err) {
          if (!(err instanceof InvalidDataError)) throw err;
          // A file whose only fault is its name still parses: keep the task for the other checks.
          let doc: TaskDoc | undefined;
          try {
            if (text !== undefined) doc = parseTaskFile(text, file);
          } catch {
            // Malformed.
          }
          out.push({ name: d.name, nameId, path, file, text, doc, error: err });
        }
      }
    }
    return out.sort((a, b) => a.nameId - b.nameId || a.name.localeCompare(b.name));
  }

  /**
   * Gives the task in `path` a new id (the next free one): a new file with the new number and a
   * History line naming the old, then the old file goes. Used by `doctor --fix` on duplicates.
   */
  renumber(path: string, history: (newId: number) => Task, slug: string, seenElsewhere = 0): StoredTask {
    return withLock(this.lockPath('ids'), { what: 'the task id counter' }, () => {
      const id = Math.max(this.highestId(), this.highestInOtherWorktrees(), seenElsewhere) + 1;
      const task = history(id);
      const target = join(this.project.tasksDir, slug ? `${id}-${slug}.md` : `${id}.md`);
      writeFileAtomic(target, renderTaskFile(task));
      writeFileAtomic(this.counterPath(), `${id}\n`);
      rmSync(path, { force: true });
      return { doc: parseTaskFile(renderTaskFile(task), this.rel(target)), file: this.rel(target), path: target };
    });
  }

  /** Task files in the other checkouts of this clone, committed or not. */
  private highestInOtherWorktrees(): number {
    const { worktreeRoot, gitCommonDir } = this.project;
    if (!worktreeRoot || !gitCommonDir) return 0;
    const git = findGit(this.project.root);
    if (!git) return 0;
    const folder = relative(worktreeRoot, this.project.tasksDir);
    let highest = 0;
    for (const root of otherWorktreeRoots(git)) {
      let names: string[];
      try {
        names = readdirSync(join(root, folder));
      } catch {
        continue;
      }
      for (const name of names) {
        const m = TASK_FILE.exec(name);
        if (m) highest = Math.max(highest, Number(m[1]));
      }
    }
    return highest;
  }

  private load(d: Dirent): StoredTask {
    const path = join(this.project.tasksDir, d.name);
    const file = this.rel(path);
    // Only regular files: a link could point outside the repository, a directory is not a task.
    if (!d.isFile() || lstatSync(path).isSymbolicLink()) {
      throw new MalformedTaskError(file, 1, 'is not a regular file; task files must be plain files, not links or directories');
    }
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new InvalidDataError(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}): check its permissions`);
    }
    const doc = parseTaskFile(text, file);
    const nameId = Number(TASK_FILE.exec(d.name)![1]);
    if (doc.task.id !== nameId) {
      throw new MalformedTaskError(file, 2, `'id' is ${doc.task.id} but the file name says ${nameId}: run 'hzl doctor'`);
    }
    return { doc, file, path };
  }

  private lockPath(name: string): string {
    return join(this.project.stateDir, 'locks', `${name}.lock`);
  }

  private counterPath(): string {
    return join(this.project.stateDir, 'last-id');
  }

  rel(path: string): string {
    return relative(this.project.root, path) || '.';
  }
}

export function slugify(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/, '');
}
