// The small JSON files of <state dir> that several commands of one clone change at once
// (offline.json, remote-claims.json, remote-leases.json, remote-takebacks.json). Each
// read-modify-write holds a short lock of its own, <state dir>/locks/<name>.lock, taken last
// (under a task's or the id lock) and alone, so that two writers never lose each other's change.

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic.js';
import { lockTimeout, withLock } from './lock.js';
import type { Project } from './project.js';

/** `file`'s JSON, or undefined when it is missing or unreadable (each is a cache or a list to redo). */
export function readStateJson(project: Project, file: string): unknown {
  try {
    return JSON.parse(readFileSync(join(project.stateDir, file), 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Writes what `change` returns to `file`, under the file's lock: `change` reads the file itself
 * (readStateJson), so that what it reads is what no other writer can change before the write.
 * `what` names the file in a lock timeout's message; `env` is the command's (HZL_LOCK_TIMEOUT_MS),
 * as for every other lock, not necessarily the process's.
 */
export function changeStateJson<T>(
  project: Project,
  env: NodeJS.ProcessEnv,
  file: string,
  what: string,
  change: () => T,
): T {
  const lock = join(project.stateDir, 'locks', `${file.replace(/\.json$/, '')}.lock`);
  return withLock(lock, { what, timeoutMs: lockTimeout(env) }, () => {
    const value = change();
    mkdirSync(project.stateDir, { recursive: true });
    writeFileAtomic(join(project.stateDir, file), `${JSON.stringify(value)}\n`);
    return value;
  });
}
