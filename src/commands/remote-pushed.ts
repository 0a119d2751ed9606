// What this clone last pushed for each task's claim (<state dir>/remote-leases.json): the lease,
// so that a checkpoint renews it at most once per half lease, and the record's oid and author, so
// (and clone) that renewing or dropping our own claim is one compare-and-swap on that oid, with no fetch and
// no failed creation first. A cache: when it is missing, wrong or stale, the swap is lost and the
// caller looks at the remote, as it would without it.

import { lockStep } from '../store/lock-steps.js';
import type { Project } from '../store/project.js';
import { changeStateJson, readStateJson } from '../store/state-file.js';

export interface Pushed {
  until?: string;
  oid?: string;
  author?: string;
  /** Worktrees share this file, and each is a clone of its own in records. */
  clone?: string;
}

const FILE = 'remote-leases.json';

/** Entries are objects; an older hzl wrote the lease alone, as a string. */
function readAll(project: Project): Record<string, Pushed | string> {
  const data = readStateJson(project, FILE);
  return data && typeof data === 'object' ? (data as Record<string, Pushed | string>) : {}; // none yet, or broken
}

export function pushedFor(project: Project, id: number): Pushed {
  const entry = readAll(project)[String(id)];
  if (typeof entry === 'string') return { until: entry };
  return entry && typeof entry === 'object' ? entry : {};
}

/**
 * Remembers the record pushed for task `id`, or forgets it (undefined: the claim was dropped).
 * Claims of two tasks at once in one clone each keep their entry (state-file.ts).
 */
export function rememberPushed(project: Project, env: NodeJS.ProcessEnv, id: number, pushed: Pushed | undefined): void {
  try {
    changeStateJson(project, env, FILE, 'the pushed claims', () => {
      const all = readAll(project);
      lockStep('pushed-read');
      if (pushed) all[String(id)] = pushed;
      else delete all[String(id)];
      return all;
    });
  } catch {
    // A cache: without it the next write looks at the remote once more.
  }
}
