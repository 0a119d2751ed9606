// Breaking a stale lock without ever removing a fresh one. Checking a path and then deleting it
// is a race (the file checked may be replaced in between), so nothing here deletes a lock by the
// path it was judged at:
// - Breakers take turns under a breaker lock: a folder `<lock>.breaker` holding one file named by
//   a unique token. It appears whole (staged under a unique name, then renamed into place), and
//   a dead breaker's is cleared by deleting its token file by that unique name (which no later
//   breaker can reuse) and then `rmdir` (which fails once another breaker has moved in).
// - Under it, the stale lock is re-judged, renamed to a unique name, and deleted only if the file
//   moved is the one judged (same inode, same text); else it is put back (link, never replace).
// Older hzl used a file `<lock>.break` as breaker lock; a stale one is tidied away the same way.

import { linkSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidDataError } from '../core/errors.js';
import { type Judged, judge, ownerText } from './lock-owner.js';
import { lockStep, lockWaiting } from './lock-steps.js';
import { uniqueHex } from './unique.js';

export const STALE_AGE_MS = 60_000;
const BREAK_STALE_AGE_MS = 5_000;

interface Breaker {
  folder: string;
  entry: string;
}

/** Removes the lock at `path` if it is still stale. False when another breaker is at work. */
export function breakStale(path: string): boolean {
  const breaker = takeBreaker(`${path}.breaker`);
  if (!breaker) return false;
  try {
    const judged = judge(path, STALE_AGE_MS);
    if (judged?.stale) {
      lockStep('judged');
      removeIfSame(path, judged);
    }
    const legacy = judge(`${path}.break`, BREAK_STALE_AGE_MS);
    if (legacy?.stale) removeIfSame(`${path}.break`, legacy);
    return true;
  } finally {
    dropBreaker(breaker);
  }
}

function unique(): string {
  return `${process.pid}-${uniqueHex()}`;
}

function takeBreaker(folder: string): Breaker | undefined {
  const entry = unique();
  const staging = `${folder}.${entry}.tmp`;
  mkdirSync(staging);
  try {
    writeFileSync(join(staging, entry), ownerText(entry));
    renameSync(staging, folder); // onto nothing or an empty folder; a held one is not empty
    return { folder, entry };
  } catch (err) {
    rmSync(staging, { recursive: true, force: true }); // ours alone: its name is unique
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') clearDeadBreaker(folder);
    else if (code === 'ENOTDIR') refuseOdd(folder, 'folder');
    else throw err;
    return undefined;
  }
}

function dropBreaker({ folder, entry }: Breaker): void {
  try {
    rmSync(join(folder, entry));
  } catch {
    return; // cleared as dead meanwhile (we were too slow): the folder is another's now
  }
  rmdirQuietly(folder);
}

/** A breaker folder whose owner is gone: its token file goes by its unique name, then the folder. */
function clearDeadBreaker(folder: string): void {
  let entries: string[];
  try {
    entries = readdirSync(folder);
  } catch {
    return; // gone meanwhile
  }
  for (const entry of entries) {
    const file = join(folder, entry);
    const judged = judge(file, BREAK_STALE_AGE_MS);
    if (!judged) refuseOdd(file, 'file');
    if (!judged?.stale) {
      lockWaiting();
      return;
    }
    lockStep('judged');
    rmSync(file, { force: true });
  }
  rmdirQuietly(folder);
}

/** Renames the file at `path` to a name of our own; deletes it if it is `judged`, else puts it back. */
export function removeIfSame(path: string, judged: Judged): void {
  const aside = `${path}.${unique()}.stale`;
  try {
    renameSync(path, aside);
  } catch {
    return; // gone already
  }
  if (!lstatSync(aside).isFile()) {
    renameSync(aside, path); // a folder someone made there meanwhile: not ours to move
    return;
  }
  const moved = judge(aside, Number.POSITIVE_INFINITY);
  if (!moved || moved.ino !== judged.ino || moved.content !== judged.content) {
    // Released and taken again between our look and the rename: give it back. A link never
    // replaces a lock taken in the meantime.
    try {
      linkSync(aside, path);
    } catch {
      // Taken again already: the moved lock's owner has lost it (it held it past the age limit).
    }
  }
  rmSync(aside, { force: true });
}

function rmdirQuietly(folder: string): void {
  try {
    rmdirSync(folder); // fails when not empty: another breaker has moved in
  } catch {
    // Not empty, or gone.
  }
}

/** Something at a lock path that hzl never makes: say what and where, do not wait on it. */
export function refuseOdd(path: string, expected: 'file' | 'folder'): void {
  let what: string;
  try {
    const stat = lstatSync(path);
    if (expected === 'file' ? stat.isFile() : stat.isDirectory()) return;
    what = stat.isSymbolicLink()
      ? 'a symbolic link'
      : stat.isDirectory()
        ? 'a folder'
        : stat.isFile()
          ? 'a file'
          : 'not a regular file';
  } catch {
    return; // gone: the next try goes ahead
  }
  throw new InvalidDataError(`${path} is ${what}, not a lock hzl made: remove it if no hzl is running, then try again`);
}
