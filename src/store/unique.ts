// Unique parts of temp file and lock names.

/**
 * 12 hex digits (48 random bits) that no other process will draw: V8 seeds Math.random from the
 * system's entropy in every process. Not a secret (the files are opened with O_EXCL anyway), so
 * node:crypto, ~5 ms of start-up, is not loaded for it.
 */
export function uniqueHex(): string {
  const half = () =>
    Math.floor(Math.random() * 0x1000000)
      .toString(16)
      .padStart(6, '0');
  return half() + half();
}
