// Reading and writing task files. IDs come from file names and are checked against the
// front-matter; every change is a read-modify-write under the task's lock, re-reading the file
// under the lock and writing through a temp file and rename.

import { existsSync, rmSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { ConflictError, HzlError, InvalidDataError, MalformedTaskError, NotFoundError } from '../core/errors.js';
import { decodeBytes } from '../core/bytes.js';
import type { IgnoredId } from '../core/ids.js';
import { type Task, taskFileName, taskIdOfFileName } from '../core/task.js';
import { type TaskDoc, parseTaskFile, renderTaskFile, taskFileBytes } from '../format/task-file.js';
import { writeFileAtomic } from './atomic.js';
import { counterPath, nextIdIn } from './id-sources.js';
import { readRegularFileBytes, unreadable } from './regular-file.js';
import { freshCopy, raiseCounter, refuseTakenTarget } from './renumber-checks.js';
import { lockTimeout, withLock, withLockAsync } from './lock.js';
import type { TaskListing, TaskSummary } from './summary-index.js';
import type { SearchRecord } from './search-index.js';
import type { Child } from './folder-index.js';
import { IndexedFolder } from './indexed-folder.js';
import { type InspectedFile, inspectFolder } from './folder-inspection.js';
import { missingTaskError } from './missing-task.js';
import { type ListingSource, listTasks, searchTasks } from './task-listings.js';
import { childrenOf } from './subtasks.js';
import type { Project } from './project.js';
import { TaskFolder } from './task-folder.js';
import { refuseWritesDuringRebase } from './write-guard.js';

export interface StoredTask {
  doc: TaskDoc;
  file: string; // path relative to the project root, for messages
  path: string;
}

/** A new task's file rendered ahead of `create` (see `prepare`). */
export interface PreparedTask {
  id: number;
  path: string;
  text: string;
  doc: TaskDoc;
}

export interface WriteResult {
  before: StoredTask;
  task: Task;
  changed: boolean;
}

export class TaskStore {
  private readonly folder: TaskFolder;
  /** The folder's names and subtasks as last saved, for lookups without a listing. */
  private readonly indexed: IndexedFolder;
  /** The tasks folder as messages name it; a file in it is named by joining (path.relative is slow). */
  private readonly tasksLabel: string;

  /** `env` is the command's (HZL_WRITE_DURING_REBASE), not necessarily the process's. */
  constructor(
    readonly project: Project,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.tasksLabel = this.rel(project.tasksDir);
    this.folder = new TaskFolder(project.tasksDir, this.tasksLabel);
    this.indexed = new IndexedFolder(project.cacheDir, this.folder);
  }

  ids(): number[] {
    return [...this.folder.byId().keys()].sort((a, b) => a - b);
  }

  has(id: number): boolean {
    if (this.hinted(id)?.length) return true;
    return this.folder.byId().has(id);
  }

  /**
   * The file names of `id` without listing the folder, while that can be trusted: the listing this
   * run made, else the folder index. Undefined when neither holds.
   */
  private hinted(id: number): string[] | undefined {
    const remembered = this.folder.remembered();
    return remembered ? remembered.get(id) : this.indexed.names(id);
  }

  read(id: number): StoredTask {
    return this.readOr(id, () => missingTaskError(this.project, this.folder, id));
  }

  /** `read` for callers that answer a missing task themselves (a web page's 404): no search for why. */
  readPlain(id: number): StoredTask {
    return this.readOr(id, () => new NotFoundError(`task #${id} not found`));
  }

  /** `read`, with the error for a missing file made by `missing` (why it is missing costs a search). */
  private readOr(id: number, missing: () => NotFoundError): StoredTask {
    // At 10,000 tasks, listing the folder costs more than the rest of `show`: the names come from
    // this run's listing or the folder index while either holds. The file itself is read afresh
    // and its id checked; a file that is gone sends us to the listing.
    const hinted = this.hinted(id);
    if (hinted?.length === 1) {
      const stored = this.loadIfThere(hinted[0]!);
      if (stored) return stored;
    }
    const found = this.folder.byId().get(id);
    if (!found) throw missing();
    if (found.length > 1) {
      throw new InvalidDataError(
        `task #${id} has more than one file (${found.join(', ')}): run 'hzl doctor' to sort them out`,
      );
    }
    return this.load(found[0]!);
  }

  /** A linked task (a dependency, a parent), or undefined when it is missing or does not parse. */
  find(id: number): Task | undefined {
    try {
      return this.readPlain(id).doc.task;
    } catch (err) {
      if (err instanceof HzlError) return undefined;
      throw err;
    }
  }

  /**
   * The tasks whose title, description or a checkpoint may contain `needle` (lower-cased), whole;
   * the caller makes the final match (task-listings.ts).
   */
  search(needle: string): { tasks: Array<SearchRecord & { file: string }>; problems: InvalidDataError[] } {
    return searchTasks(this.listingSource(), needle);
  }

  /**
   * Read-modify-write of one task under its lock. `change` gets the freshly read task and returns
   * the new one; nothing is written when the text would not change. `beforeWrite` runs once the
   * new text is rendered, still under the lock, and may refuse the write by throwing: a remote's
   * answer awaited there overlaps the rendering.
   */
  async update(
    id: number,
    change: (current: StoredTask) => Task | Promise<Task>,
    beforeWrite?: (before: StoredTask, task: Task) => void | Promise<void>,
  ): Promise<WriteResult> {
    refuseWritesDuringRebase(this.project, this.env);
    return withLockAsync(
      this.lockPath(`task-${id}`),
      { what: `task #${id}`, timeoutMs: lockTimeout(this.env) },
      async () => {
        const before = this.read(id);
        const task = await change(before);
        const text = renderTaskFile(task, before.doc);
        const changed = text !== before.doc.source.text;
        await beforeWrite?.(before, task);
        if (changed) {
          const bytes = taskFileBytes(text, before.doc);
          this.indexed.write(basename(before.path), false, task, () =>
            writeFileAtomic(before.path, bytes, before.file),
          );
        }
        return { before, task, changed };
      },
    );
  }

  /** Deletes a task's file (under its lock: `withTaskLock`), keeping the folder index holding. */
  removeFile(path: string): void {
    this.indexed.remove(basename(path), () => rmSync(path));
  }

  /** Runs `fn` under the task's lock, as every write does (delete and edit, which replace the file). */
  withTaskLock<T>(id: number, fn: () => T): T {
    refuseWritesDuringRebase(this.project, this.env);
    return withLock(this.lockPath(`task-${id}`), { what: `task #${id}`, timeoutMs: lockTimeout(this.env) }, fn);
  }

  /**
   * Creates a task with the next ID. The ID lock is held until the file exists, so parallel
   * adds in any worktree of the clone never mint the same number.
   */
  create(
    build: (id: number) => Task,
    slug: string,
    seenElsewhere = 0,
    reserved?: number, // an id the shared remote handed to this call alone (docs/clones.md)
    prepared?: PreparedTask, // used when the task gets its id
    /** Runs under the id lock once the file's name is known, before it is written: what must not be missed. */
    beforeWrite?: (task: Task, name: string) => void,
  ): StoredTask & { ignored: IgnoredId[] } {
    refuseWritesDuringRebase(this.project, this.env);
    return this.withIdLock(() => {
      const next = this.nextId(seenElsewhere);
      const { ignored } = next;
      const id = reserved ?? next.id;
      if (reserved !== undefined && this.folder.byId().has(reserved)) {
        throw new ConflictError(
          `task #${reserved} was created in this clone meanwhile, ` +
            'by an add that did not ask the remote: run the command again',
        );
      }
      const name = taskFileName(id, slug);
      const path = join(this.project.tasksDir, name);
      const ready = prepared?.id === id && prepared.path === path ? prepared : this.prepare(build, slug, id);
      beforeWrite?.(ready.doc.task, name);
      this.indexed.write(name, true, ready.doc.task, () => writeFileAtomic(path, ready.text));
      raiseCounter(this.counterPath(), id); // a reserved id may be below ids handed out here
      return { doc: ready.doc, file: this.rel(path), path, ignored };
    });
  }

  /**
   * A new task's file as `create` would write it with `id`, rendered without any lock: an add
   * whose id the remote is still answering for renders it meanwhile (docs/decisions.md).
   */
  prepare(build: (id: number) => Task, slug: string, id: number): PreparedTask {
    const path = join(this.project.tasksDir, taskFileName(id, slug));
    const text = renderTaskFile(build(id));
    return { id, path, text, doc: parseTaskFile(text, this.rel(path)) };
  }

  /**
   * Every task that parses, as listings (fields, file, last activity) or, with `notes`, whole
   * summaries (task-listings.ts). Files that do not parse are problems.
   */
  summaries(): { tasks: TaskListing[]; problems: InvalidDataError[] };
  summaries(options: { notes: true }): { tasks: TaskSummary[]; problems: InvalidDataError[] };
  summaries(options: { notes?: boolean } = {}): { tasks: TaskListing[]; problems: InvalidDataError[] } {
    return listTasks(this.listingSource(), options);
  }

  /** Tasks whose `parent` is `id`, without a listing where the folder index holds. */
  childrenOf(id: number): Child[] {
    return childrenOf(this.listingSource(), this.indexed, id);
  }

  private listingSource(): ListingSource {
    const label = this.rel(this.project.tasksDir);
    return { project: this.project, folder: this.folder, label, load: (name, bytes) => this.load(name, bytes) };
  }

  /** The next id (under the ids lock), from every source of ids in this clone (id-sources.ts). */
  private nextId(seenElsewhere: number): { id: number; ignored: IgnoredId[] } {
    return nextIdIn(this.project, this.folder.byId().keys(), seenElsewhere);
  }

  /** The id the next `create` would take here, before any remote is asked (read without the lock). */
  nextFreeId(seenElsewhere = 0): number {
    return this.nextId(seenElsewhere).id;
  }

  /** Every task file as it is, parsed or with the reason it does not parse: for `hzl doctor`. */
  inspect(): InspectedFile[] {
    return inspectFolder(this.listingSource());
  }

  /**
   * Gives the task in `path` a new id (the next free one, or `reserved`): a new file with the new
   * number, then the old file goes. Under the old file's task lock the file is read afresh, so
   * `build` gets the task as it is now (a checkpoint written meanwhile moves with it); undefined
   * when the file is gone. Used by `doctor --fix` on duplicates and by offline renumbering.
   */
  renumber(
    path: string,
    expectedId: number,
    build: (task: Task, newId: number) => Task,
    slug: string,
    options: { seenElsewhere?: number; reserved?: number; retry?: string } = {},
  ): StoredTask | undefined {
    const { seenElsewhere = 0, reserved, retry = 'run the command again' } = options;
    const lockedId = taskIdOfFileName(basename(path)) ?? expectedId; // the lock writers of this file take
    return this.withTaskLock(lockedId, () =>
      this.withIdLock(() => {
        const base = freshCopy(path, this.rel(path), expectedId, retry);
        if (!base) return undefined;
        const byId = this.folder.byId();
        const id = reserved ?? this.nextId(seenElsewhere).id;
        const target = join(this.project.tasksDir, taskFileName(id, slug));
        const usedBy = byId.get(id)?.map((name) => this.rel(join(this.project.tasksDir, name)));
        refuseTakenTarget(id, usedBy, target, this.rel(target));
        const task = build(base.task, id);
        // Edited from the file as it is, as any write: only its id and History change.
        const text = renderTaskFile(task, base);
        writeFileAtomic(target, taskFileBytes(text, base));
        raiseCounter(this.counterPath(), id);
        rmSync(path, { force: true });
        return { doc: parseTaskFile(text, this.rel(target)), file: this.rel(target), path: target };
      }),
    );
  }

  /** `bytes`: the file's, if the caller read them already (as a regular file). */
  private load(name: string, bytes?: Buffer): StoredTask {
    const path = join(this.project.tasksDir, name);
    const file = join(this.tasksLabel, name);
    let text: string;
    try {
      // Only regular files, not through a link: one could point outside the repository.
      text = decodeBytes(bytes ?? readRegularFileBytes(path));
    } catch (err) {
      throw unreadable(path, file, err);
    }
    const doc = parseTaskFile(text, file);
    const nameId = taskIdOfFileName(name)!;
    if (doc.task.id !== nameId) {
      throw new MalformedTaskError(
        file,
        2,
        `'id' is ${doc.task.id} but the file name says ${nameId}: run 'hzl doctor'`,
      );
    }
    return { doc, file, path };
  }

  /** `load`, or undefined when the file is no longer there. */
  private loadIfThere(name: string): StoredTask | undefined {
    if (!existsSync(join(this.project.tasksDir, name))) return undefined;
    return this.load(name);
  }

  /** The lock of the id counter: held from choosing an id until its file exists (no add is midway under it). */
  withIdLock<T>(fn: () => T): T {
    return withLock(this.lockPath('ids'), { what: 'the task id counter', timeoutMs: lockTimeout(this.env) }, fn);
  }

  private lockPath(name: string): string {
    return join(this.project.stateDir, 'locks', `${name}.lock`);
  }

  private counterPath(): string {
    return counterPath(this.project);
  }

  rel(path: string): string {
    return relative(this.project.root, path) || '.';
  }
}
