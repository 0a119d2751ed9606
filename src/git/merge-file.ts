// Line-based three-way merges with `git merge-file`, for the merge driver: the description of a
// task, or a whole file that does not parse. Synchronous: a driver merges one file and exits.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeBytes, encodeText } from '../core/bytes.js';
import { GitError } from '../core/errors.js';

export interface TextMerge {
  text: string;
  clean: boolean;
}

// What the conflict markers say: the driver does not know the branch names.
const LABELS = ['-L', 'ours', '-L', 'base', '-L', 'theirs'];

/**
 * Merges three files; the result is returned, none of the files is changed. Its text is decoded
 * with decodeBytes: encodeText gives back the exact bytes git wrote, UTF-8 or not.
 */
export function mergeFiles(base: string, ours: string, theirs: string): TextMerge {
  try {
    const { execFileSync } = process.getBuiltinModule('node:child_process'); // not at start-up: ~1.6 ms
    const out = execFileSync('git', ['merge-file', '-p', ...LABELS, ours, base, theirs], {
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
    });
    return { text: decodeBytes(out), clean: true };
  } catch (err) {
    const e = err as { status?: number | null; stdout?: Buffer; stderr?: Buffer; code?: string };
    // The exit status is the number of conflicts (capped at 127); above that, an error.
    if (typeof e.status === 'number' && e.status > 0 && e.status < 128 && Buffer.isBuffer(e.stdout)) {
      return { text: decodeBytes(e.stdout), clean: false };
    }
    const why =
      e.code === 'ENOENT'
        ? 'git is not installed or not on PATH'
        : (e.stderr?.toString('utf8') ?? '').trim() || String(err);
    throw new GitError(`git merge-file failed: ${why}`);
  }
}

/** Merges three texts through temporary files. A non-empty text is given a final newline. */
export function mergeTexts(base: string, ours: string, theirs: string): TextMerge {
  const dir = mkdtempSync(join(tmpdir(), 'hzl-merge-'));
  try {
    const write = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, encodeText(text === '' || text.endsWith('\n') ? text : `${text}\n`));
      return path;
    };
    return mergeFiles(write('base', base), write('ours', ours), write('theirs', theirs));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
