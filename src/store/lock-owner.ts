// Who owns a lock file, and whether that owner is gone. A lock names its owner's pid, host, a
// unique token and (where /proc exists) the owner's start time, one per line.

import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';

/** This machine's name, asked once and only by a process that takes or judges a lock. */
let machine: string | undefined;
const HOST = () => (machine ??= process.getBuiltinModule('node:os').hostname());
/** A lock is written the instant it is created; one still empty after this, its owner died first. */
const UNWRITTEN_STALE_AGE_MS = 2_000;
/** This process's start time, read once ('' where there is no /proc): every lock records it. */
let ownStart: string | undefined;

/** The text of a new lock of this process: unique to this one acquisition. */
export function ownerText(unique: string): string {
  ownStart ??= startOf(process.pid) ?? '';
  return `${process.pid}\n${HOST()}\n${unique}\n${ownStart}\n`;
}

/** One file as it was at one moment: its inode, its text, and whether its owner is gone. */
export interface Judged {
  ino: number;
  content: string;
  stale: boolean;
}

/**
 * Reads and judges the file at `path` through one descriptor (so inode and text are of the same
 * file). Undefined when it is gone or not a plain file: the caller checks what is there.
 */
export function judge(path: string, maxAgeMs: number): Judged | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return undefined;
    const content = readFileSync(fd, 'utf8');
    return { ino: stat.ino, content, stale: isStale(content, Date.now() - stat.mtimeMs, maxAgeMs) };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Dead owner on this host, or older than any hzl write could hold it. */
function isStale(content: string, age: number, maxAgeMs: number): boolean {
  if (age > maxAgeMs) return true;
  const [pid, host, token, start] = content.split('\n');
  if (token === undefined) return age > UNWRITTEN_STALE_AGE_MS; // being written, or its owner died first
  if (!pid || host !== HOST()) return false; // another machine's
  // The pid may have been given to another process since the owner died: its start time tells.
  // An unreadable start time (another user's process under hidepid) proves nothing.
  const startNow = start ? startOf(Number(pid)) : undefined;
  if (startNow !== undefined && startNow !== start) return true;
  return !isAlive(Number(pid));
}

export function readOwner(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').split('\n')[0] || undefined;
  } catch {
    return undefined;
  }
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
