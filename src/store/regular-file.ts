// Reading task files and hzl's own state files (caches, the id counter) without trusting what
// sits at their path: a link is not followed and anything but a regular file is refused (a FIFO
// would block the read for ever). State readers treat a refusal like a missing file; writes go
// through a temp file and rename, which replaces whatever was there.

import { type Stats, closeSync, constants, fstatSync, lstatSync, openSync, readFileSync } from 'node:fs';
import { InvalidDataError, MalformedTaskError } from '../core/errors.js';

const READ_NO_FOLLOW = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** A descriptor for reading `path`; throws when it is missing, a link, or not a regular file. */
export function openRegularFile(path: string): number {
  const fd = openSync(path, READ_NO_FOLLOW);
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw new Error(`${path} is not a regular file`);
  }
  return fd;
}

export function readRegularFileBytes(path: string): Buffer {
  const fd = openRegularFile(path);
  try {
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function readRegularFile(path: string): string {
  return readRegularFileBytes(path).toString('utf8');
}

/**
 * Why a task file could not be read, asked of the file system only once the read failed (a
 * listing reads 10,000 files: one lstat each less).
 */
export function unreadable(path: string, file: string, readError: unknown): InvalidDataError {
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return new InvalidDataError(`${file}: cannot be read (${code}): was it removed meanwhile?`);
  }
  if (!st.isFile()) {
    return new MalformedTaskError(
      file,
      1,
      'is not a regular file; task files must be plain files, not links or directories',
    );
  }
  const code = (readError as NodeJS.ErrnoException).code ?? 'error';
  return new InvalidDataError(`${file}: cannot be read (${code}): check its permissions`);
}
