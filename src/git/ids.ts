// The highest task id any ref has ever had: every local and remote-tracking branch,
// tags, and their whole history, so that a task deleted or archived on a branch that is not
// checked out still keeps its number. One `git log` over the refs that are new since the last
// look; what was seen is cached in the state dir.

import { relative } from 'node:path';
import type { GitLocation } from '../core/git-location.js';
import { countsForNumbering } from '../core/ids.js';
import { optionalPlain, readEnv } from './repo.js';

interface Seen {
  tips: string[];
  max: number;
}

/** Where what was seen is remembered (store/ids-seen.ts): read gives what was written, if anything. */
export interface SeenCache {
  read(): unknown;
  write(seen: Seen): void;
}

/** What the history holds: the highest id that counts for numbering, and the ids above the ceiling. */
export interface HistoryIds {
  highest: number;
  ignored: number[];
}

const ID_IN_PATH = /(?:^|\/)([1-9]\d{0,8})(?:-[^/]*)?\.md$/;

export async function highestIdInHistory(
  git: GitLocation,
  tasksDir: string,
  cache: SeenCache,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  return (await idsInHistory(git, tasksDir, cache, env)).highest;
}

/**
 * Ids above the ceiling are left out of the remembered maximum (and reported once, when first
 * seen): a branch holding one cannot push numbering out of range, now or after it is gone.
 */
export async function idsInHistory(
  git: GitLocation,
  tasksDir: string,
  cache: SeenCache,
  env: NodeJS.ProcessEnv,
): Promise<HistoryIds> {
  const optional = (args: string[]) => optionalPlain(git.worktreeRoot, args, readEnv(env));
  // Every ref and HEAD (when detached, it is no branch's tip) in one process.
  const refs = optional(['show-ref', '--head', '--hash']);
  const none = { highest: 0, ignored: [] };
  // No refs at all (exit 1), or not a repository git can read: the caller still has files and counter.
  if (refs === undefined) return none;
  const tips = [...new Set(refs.split('\n').map((t) => t.trim()))].filter(Boolean).sort();
  if (tips.length === 0) return none;

  let seen: Seen = { tips: [], max: 0 };
  const data = cache.read() as Partial<Seen> | null | undefined;
  // A maximum past the ceiling (remembered by an older hzl) is not trusted: scan again.
  if (
    data &&
    Array.isArray(data.tips) &&
    typeof data.max === 'number' &&
    (data.max === 0 || countsForNumbering(data.max))
  ) {
    seen = { tips: data.tips, max: data.max };
  }
  const known = new Set(seen.tips);
  const fresh = tips.filter((t) => !known.has(t));
  if (fresh.length === 0) return { highest: seen.max, ignored: [] };

  const folder = relative(git.worktreeRoot, tasksDir).split('\\').join('/');
  const scan = (exclude: string[]) =>
    optional([
      'log',
      '--format=',
      '--name-only',
      '--diff-filter=A',
      ...fresh,
      ...(exclude.length ? ['--not', ...exclude] : []),
      '--',
      folder,
    ]);
  // Old tips may be gone (a deleted branch, garbage-collected): then scan the new ones in full.
  const out = scan(seen.tips) ?? scan([]) ?? '';
  let max = seen.max;
  const ignored = new Set<number>();
  for (const line of out.split('\n')) {
    const m = ID_IN_PATH.exec(line.trim());
    if (!m) continue;
    const id = Number(m[1]);
    if (countsForNumbering(id)) max = Math.max(max, id);
    else ignored.add(id);
  }
  cache.write({ tips, max });
  return { highest: max, ignored: [...ignored] };
}
