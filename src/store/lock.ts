// Exclusive locks as files created with O_EXCL, shared by every process and worktree of a clone.
// A waiting process backs off; a lock whose owner died (or that is far older than any hzl write)
// is broken without a race (see lock-breaker.ts). Locks are released on Ctrl-C and kill too.

import {
  closeSync,
  existsSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { ConflictError, InvalidDataError } from '../core/errors.js';
import { shellWord } from '../core/shell.js';
import { STALE_AGE_MS, breakStale, refuseOdd } from './lock-breaker.js';
import { judge, ownerText, readOwner } from './lock-owner.js';
import { noteHeld, noteReleased } from './lock-signals.js';
import { lockStep, lockWaiting } from './lock-steps.js';
import { uniqueHex } from './unique.js';

export interface LockOptions {
  /** How long to wait for the lock before giving up. */
  timeoutMs?: number;
  /** Says what is locked, for the timeout message: "task #3". */
  what: string;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

export function withLock<T>(path: string, options: LockOptions, fn: () => T): T {
  const token = acquire(path, options);
  try {
    return fn();
  } finally {
    release(path, token);
  }
}

/** Async holders in this process, per lock: a long-running server (mcp, serve) queues its own. */
const queued = new Map<string, Promise<void>>();

export async function withLockAsync<T>(path: string, options: LockOptions, fn: () => Promise<T>): Promise<T> {
  // Waiting for the file lock blocks the thread (Atomics.wait): were this process's own holder
  // still awaiting git, it could never finish. So holders in one process take turns first.
  const previous = queued.get(path) ?? Promise.resolve();
  let done!: () => void;
  const mine = previous.then(() => new Promise<void>((resolve) => (done = resolve)));
  queued.set(path, mine);
  await previous;
  try {
    const token = acquire(path, options);
    try {
      return await fn();
    } finally {
      release(path, token);
    }
  } finally {
    done();
    if (queued.get(path) === mine) queued.delete(path);
  }
}

/** The folder of the locks, made if need be; a file in the way is invalid data (exit 5). */
function makeFolder(folder: string): void {
  try {
    mkdirSync(folder, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOTDIR' && code !== 'EEXIST') throw err;
    let inTheWay = folder;
    while (!existsSync(inTheWay) && dirname(inTheWay) !== inTheWay) inTheWay = dirname(inTheWay);
    throw new InvalidDataError(
      `${inTheWay} is not a folder (hzl keeps its locks and caches there): move that file aside`,
    );
  }
}

function acquire(path: string, { timeoutMs = DEFAULT_TIMEOUT_MS, what }: LockOptions): string {
  makeFolder(dirname(path));
  const token = ownerText(`${Date.now()}-${uniqueHex()}`);
  const staging = stage(path, token);
  try {
    return waitFor(path, token, staging, timeoutMs, what);
  } finally {
    rmSync(staging.file!, { force: true });
  }
}

function waitFor(path: string, token: string, staging: Staging, timeoutMs: number, what: string): string {
  const started = Date.now();
  let delay = 1;
  for (;;) {
    if (tryCreate(path, token, staging)) {
      noteHeld(path, () => release(path, token));
      lockStep('held');
      return token;
    }
    refuseOdd(path, 'file'); // a folder or a link there would never go away by waiting
    if (judge(path, STALE_AGE_MS)?.stale && breakStale(path)) continue;
    if (Date.now() - started > timeoutMs) {
      const owner = readOwner(path);
      throw new ConflictError(
        `${what} is locked by another hzl process${owner ? ` (pid ${owner})` : ''}: try again in a moment` +
          ` (if no hzl is running: rm ${shellWord(path)})`,
      );
    }
    lockWaiting();
    sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 50);
  }
}

/**
 * Creates the lock with its text in one step: the text is written to a file of our own, which is
 * then linked as the lock (link fails if the lock exists). A lock is so never seen empty, and an
 * owner slow to write it can never be taken for one that died first. Where links are not
 * supported, O_EXCL and a write.
 */
function tryCreate(path: string, content: string, staging: Staging): boolean {
  if (staging.file !== undefined && !staging.failed) {
    try {
      linkSync(staging.file, path);
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw err;
      staging.failed = true; // a file system without hard links
    }
  }
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  lockStep('created'); // (a test can so hold a lock that exists but is still empty)
  try {
    writeSync(fd, content);
  } catch (err) {
    // Disk full, say: an empty lock that nobody owns would block every writer.
    closeSync(fd);
    rmSync(path, { force: true });
    throw err;
  }
  closeSync(fd);
  return true;
}

interface Staging {
  file?: string;
  failed?: boolean;
}

/** The file of our own that becomes the lock, written once per acquisition. */
function stage(path: string, content: string): Staging {
  const file = `${path}.${process.pid}-${uniqueHex()}.new`;
  writeFileSync(file, content, { flag: 'wx' });
  return { file };
}

function release(path: string, token: string): void {
  noteReleased(path);
  // Only remove the lock if it is still ours (it may have been broken as stale and retaken).
  try {
    if (readFileSync(path, 'utf8') === token) rmSync(path, { force: true });
  } catch {
    // Already gone.
  }
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** How long a command waits for a lock: HZL_LOCK_TIMEOUT_MS from its environment, else 10 s. */
export function lockTimeout(env: NodeJS.ProcessEnv): number {
  const ms = Number(env.HZL_LOCK_TIMEOUT_MS);
  return Number.isFinite(ms) && ms > 0 ? ms : DEFAULT_TIMEOUT_MS;
}
