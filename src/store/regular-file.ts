// Reading task files and hzl's own state files (caches, the id counter) without trusting what
// sits at their path: a link is not followed and anything but a regular file is refused (a FIFO
// would block the read for ever). State readers treat a refusal like a missing file; writes go
// through a temp file and rename, which replaces whatever was there.

import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';

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
