// Exclusive locks as files created with O_EXCL, shared by every process and worktree of a clone.
// A waiting process backs off; a lock whose owner died (or that is far older than any hzl write)
// is broken, under a second short lock so that two breakers cannot remove a fresh lock.

import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { ConflictError, InvalidDataError } from '../core/errors.js';
import { lockStep, lockWaiting } from './lock-steps.js';

export interface LockOptions {
  /** How long to wait for the lock before giving up. */
  timeoutMs?: number;
  /** Says what is locked, for the timeout message: "task #3". */
  what: string;
}

const STALE_AGE_MS = 60_000;
const BREAK_STALE_AGE_MS = 5_000;
/** A lock is written the instant it is created; one still empty after this, its owner died first. */
const UNWRITTEN_STALE_AGE_MS = 2_000;
const HOST = hostname();
/** This process's start time, read once ('' where there is no /proc): every lock records it. */
let ownStart: string | undefined;
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

export async function withLockAsync<T>(path: string, options: LockOptions, fn: () => Promise<T>): Promise<T> {
  const token = acquire(path, options);
  try {
    return await fn();
  } finally {
    release(path, token);
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
    throw new InvalidDataError(`${inTheWay} is not a folder (hzl keeps its locks and caches there): move that file aside`);
  }
}

function acquire(path: string, { timeoutMs = envTimeout(), what }: LockOptions): string {
  makeFolder(dirname(path));
  ownStart ??= startOf(process.pid) ?? '';
  const token = `${process.pid}\n${HOST}\n${Date.now()}-${Math.random().toString(36).slice(2)}\n${ownStart}\n`;
  const started = Date.now();
  let delay = 1;
  for (;;) {
    if (tryCreate(path, token)) {
      lockStep('held');
      return token;
    }
    if (isStale(path, STALE_AGE_MS)) {
      breakStale(path);
      continue;
    }
    if (Date.now() - started > timeoutMs) {
      const owner = readOwner(path);
      throw new ConflictError(
        `${what} is locked by another hzl process${owner ? ` (pid ${owner})` : ''}: try again in a moment` +
          ` (if no hzl is running, remove ${path})`,
      );
    }
    lockWaiting();
    sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 50);
  }
}

function tryCreate(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
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

function release(path: string, token: string): void {
  // Only remove the lock if it is still ours (it may have been broken as stale and retaken).
  try {
    if (readFileSync(path, 'utf8') === token) rmSync(path, { force: true });
  } catch {
    // Already gone.
  }
}

function readOwner(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').split('\n')[0] || undefined;
  } catch {
    return undefined;
  }
}

/** Dead owner on this host, or older than any hzl write could hold it. */
function isStale(path: string, maxAgeMs: number): boolean {
  let content: string;
  let age: number;
  try {
    content = readFileSync(path, 'utf8');
    age = Date.now() - statSync(path).mtimeMs;
  } catch {
    return false; // gone: the next try creates it
  }
  if (age > maxAgeMs) return true;
  const [pid, host, token, start] = content.split('\n');
  if (token === undefined) return age > UNWRITTEN_STALE_AGE_MS; // being written, or its owner died first
  if (!pid || host !== HOST) return false; // another machine's
  // The pid may have been given to another process since the owner died: its start time tells.
  // An unreadable start time (another user's process under hidepid) proves nothing.
  const startNow = start ? startOf(Number(pid)) : undefined;
  if (startNow !== undefined && startNow !== start) return true;
  return !isAlive(Number(pid));
}

/**
 * When process `pid` started, in clock ticks since boot (field 22 of /proc/PID/stat), or
 * undefined where there is no /proc (macOS) or no such process. Recorded in a lock, so that a
 * reused pid does not pass for the owner.
 */
function startOf(pid: number): string | undefined {
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // The command name (field 2) may hold spaces and parentheses: count from after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] || undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function breakStale(path: string): void {
  const breaker = `${path}.break`;
  const token = `${process.pid}\n${HOST}\n${Date.now()}\n`;
  if (!tryCreate(breaker, token)) {
    if (isStale(breaker, BREAK_STALE_AGE_MS)) {
      lockStep('judged');
      rmSync(breaker, { force: true });
    } else lockWaiting();
    sleep(2);
    return;
  }
  try {
    // Re-check under the breaker lock: only a lock that is still stale is removed.
    if (isStale(path, STALE_AGE_MS)) {
      lockStep('judged');
      rmSync(path, { force: true });
    }
  } finally {
    release(breaker, token);
  }
}

function envTimeout(): number {
  const ms = Number(process.env.HZL_LOCK_TIMEOUT_MS);
  return Number.isFinite(ms) && ms > 0 ? ms : 10_000;
}
