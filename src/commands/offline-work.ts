// Work done while the remote is out of reach (--offline or HZL_OFFLINE=1, with `remote` set):
// written locally, and remembered in <state dir>/offline.json until `hzl sync` reconciles it. An
// id added offline is reserved on the remote then, or, when another clone took it meanwhile, the
// task is renumbered to a reserved id with a History line; a claim taken offline is taken on the
// remote.

import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ConflictError } from '../core/errors.js';
import { type Task, taskIdOfFileName } from '../core/task.js';
import { withHistory } from '../core/transitions.js';
import { parseTaskFile, renderTaskFile, taskFileBytes } from '../format/task-file.js';
import type { RemoteRefs } from '../git/remote-refs.js';
import { writeFileAtomic } from '../store/atomic.js';
import { lockStep } from '../store/lock-steps.js';
import type { Project } from '../store/project.js';
import { changeStateJson, readStateJson } from '../store/state-file.js';
import type { TaskStore } from '../store/task-store.js';
import { followClaim, holderOf, reserveId, tryReserveId } from './remote-coordination.js';

/** `created`: the task's, so that an entry whose file is now another task's (same id, same name) is known stale. */
export type OfflineEntry =
  | { kind: 'id'; id: number; file: string; created?: string }
  | { kind: 'claim'; id: number; author: string };

/** Whether this write skips the remote that the config names. */
export function isOffline(project: Project, env: NodeJS.ProcessEnv): boolean {
  return project.config.remote !== undefined && env.HZL_OFFLINE === '1';
}

const FILE = 'offline.json';

export function pendingWork(project: Project): OfflineEntry[] {
  return (readStateJson(project, FILE) ?? []) as OfflineEntry[];
}

/** Parallel offline writers each add their entry, and sync removes only what it handled. */
function changePending(
  project: Project,
  env: NodeJS.ProcessEnv,
  change: (entries: OfflineEntry[]) => OfflineEntry[],
): void {
  changeStateJson(project, env, FILE, 'the offline work list', () => {
    const entries = pendingWork(project);
    lockStep('offline-read');
    return change(entries);
  });
}

const same = (a: OfflineEntry) => (b: OfflineEntry) => JSON.stringify(a) === JSON.stringify(b);

/** Adds `entry`, once: the same work remembered twice would be reconciled twice. */
export function rememberOffline(project: Project, env: NodeJS.ProcessEnv, entry: OfflineEntry): void {
  changePending(project, env, (entries) => (entries.some(same(entry)) ? entries : [...entries, entry]));
}

/** forgetOffline for a write that failed: best effort (sync drops an entry with no file anyway). */
export function forgetOfflineQuietly(project: Project, env: NodeJS.ProcessEnv, entry: OfflineEntry): void {
  try {
    forgetOffline(project, env, entry);
  } catch {
    // The write's own error is the one to report.
  }
}

function forgetOffline(project: Project, env: NodeJS.ProcessEnv, done: OfflineEntry): void {
  changePending(project, env, (entries) => {
    const at = entries.findIndex(same(done));
    return at < 0 ? entries : [...entries.slice(0, at), ...entries.slice(at + 1)];
  });
}

/** A claim taken or changed hands offline: to be taken on the remote by `hzl sync`. */
export function rememberOfflineClaim(project: Project, env: NodeJS.ProcessEnv, before: Task, after: Task): void {
  const holder = holderOf(after);
  if (holder && holder !== holderOf(before))
    rememberOffline(project, env, { kind: 'claim', id: after.id, author: holder });
}

/** Reconciles the offline work, one entry at a time (what is done stays done if the network fails). */
export function reconcile(remote: RemoteRefs, project: Project, store: TaskStore, actor: string, at: Date): string[] {
  const changes: string[] = [];
  const renamed = new Map<number, number>();
  // The work remembered when sync began; what is written meanwhile waits for the next sync.
  let pending = pendingWork(project);
  // Files written offline, by their current name: references among them follow a renumbering.
  const offlineFiles = new Map(pending.flatMap((e) => (e.kind === 'id' ? [[e.id, e.file] as const] : [])));
  while (pending.length) {
    const entry = pending[0]!;
    if (entry.kind === 'id') {
      const moved = reconcileId(remote, project, store, entry, actor, at);
      if (moved) {
        renamed.set(entry.id, moved.id);
        offlineFiles.delete(entry.id);
        offlineFiles.set(moved.id, moved.file);
        changes.push(
          `#${entry.id} (added offline) was taken on '${remote.remote}' meanwhile: renumbered to #${moved.id}`,
        );
        for (const id of followReferences(project, store, [...offlineFiles.values()], entry.id, moved.id)) {
          changes.push(`#${id} (added offline) now names #${moved.id} where it named #${entry.id}`);
        }
      }
    } else {
      const id = renamed.get(entry.id) ?? entry.id;
      const task = store.find(id);
      if (task && holderOf(task) === entry.author) {
        try {
          followClaim(remote, project, { ...task, author: undefined, status: 'ready' }, task, 'free', at);
          changes.push(`#${id} (claimed offline by ${entry.author}) is now claimed on '${remote.remote}'`);
        } catch (err) {
          if (!(err instanceof ConflictError)) throw err;
          changes.push(`#${id} (claimed offline by ${entry.author}): ${err.message}`);
        }
      }
    }
    pending = pending.slice(1);
    forgetOffline(project, remote.env, entry);
  }
  return changes;
}

/** The new id when the offline id was taken meanwhile; undefined when it is ours now. */
function reconcileId(
  remote: RemoteRefs,
  project: Project,
  store: TaskStore,
  entry: { id: number; file: string; created?: string },
  actor: string,
  at: Date,
) {
  const path = join(project.tasksDir, entry.file);
  // Looked at with no add midway (one writes its entry before its file): gone means deleted or
  // renamed since, or never written; another task's file now (same name, other creation) means
  // the entry's write failed. Either way, nothing of ours to number.
  if (!store.withIdLock(() => isTheTask(path, entry))) return undefined;
  if (tryReserveId(remote, project, entry.id, at)) return undefined;
  const id = reserveId(remote, project, store.nextFreeId(), at);
  const slug = entry.file.replace(/^\d+-?/, '').replace(/\.md$/, '');
  const note = `from #${entry.id} (added offline; another clone took #${entry.id} on the remote first)`;
  // renumber reads the file afresh under the task's lock, as every write: a checkpoint written
  // meanwhile moves with it, and no writer puts the old file back after it is gone.
  const renumbered = (task: Task, newId: number) =>
    withHistory({ ...task, id: newId }, { actor, now: at }, 'renumbered', note);
  const stored = store.renumber(path, entry.id, renumbered, slug, { reserved: id });
  return stored && { id, file: basename(stored.path) };
}

/**
 * In the tasks this clone wrote offline, `depends_on` and `parent` that named the old number now
 * name the new one: they were written about this clone's task. Each file is read and rewritten
 * under its task's lock, as every write is, so a checkpoint written meanwhile is kept. Returns
 * the ids rewritten.
 */
function followReferences(project: Project, store: TaskStore, files: string[], from: number, to: number): number[] {
  const rewritten: number[] = [];
  for (const file of files) {
    const id = taskIdOfFileName(file);
    if (id === undefined) continue;
    const path = join(project.tasksDir, file);
    const changed = store.withTaskLock(id, () => {
      if (!existsSync(path)) return false;
      const doc = parseTaskFile(readFileSync(path, 'utf8'), `.hzl/tasks/${file}`);
      const task = doc.task;
      if (!task.depends_on.includes(from) && task.parent !== from) return false;
      const followed: Task = {
        ...task,
        depends_on: task.depends_on.map((d) => (d === from ? to : d)),
        ...(task.parent === from ? { parent: to } : {}),
      };
      writeFileAtomic(path, taskFileBytes(renderTaskFile(followed, doc), doc), `.hzl/tasks/${file}`);
      return true;
    });
    if (changed) rewritten.push(id);
  }
  return rewritten;
}

/** Whether the file at `path` is the task the entry remembers. */
function isTheTask(path: string, entry: { id: number; created?: string }): boolean {
  if (!existsSync(path)) return false;
  if (entry.created === undefined) return true; // an entry of an older hzl
  try {
    const task = parseTaskFile(readFileSync(path, 'utf8'), basename(path)).task;
    return task.id === entry.id && task.created === entry.created;
  } catch {
    return true; // unreadable now: doctor's business; the entry is kept as it was
  }
}
