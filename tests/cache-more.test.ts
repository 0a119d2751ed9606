// The caches per worktree, the racily-clean rule on rows, and subtasks learnt without a listing.
// Every cache must stay a cache: deleted, stale, corrupt, another worktree's or another version's.

import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFolderIndex } from '../src/store/folder-index.js';
import { SummaryIndex } from '../src/store/summary-index.js';
import type { FileStamp } from '../src/store/stamped-cache.js';
import { family, git, hzl, taskFile, tempDir, tempRepo } from './helpers.js';

const env = { env: { HZL_NOW: '2024-01-15T10:00:00Z', HZL_AUTHOR: 'alice' } };
const titles = (dir: string) =>
  JSON.parse(hzl(dir, ['task', 'list', '--json']).stdout).tasks.map((t: { title: string }) => t.title);
const ok = (dir: string, args: string[]) => {
  const r = hzl(dir, args, env);
  expect(r.stderr).not.toMatch(/^hzl:/m);
  expect(r.status).toBe(0);
  return r.stdout;
};

/** A clone with tasks One, Two, Three committed, and a second worktree of it on branch `other`. */
function twoWorktrees() {
  const main = tempRepo();
  for (const title of ['One', 'Two', 'Three']) ok(main, ['task', 'add', title]);
  git(main, 'add', '-A');
  git(main, 'commit', '-q', '-m', 'tasks');
  const other = join(tempDir(), 'other');
  git(main, 'worktree', 'add', '-q', '-b', 'other', other);
  return {
    main,
    other,
    mainCache: join(main, '.git', 'hzl'),
    otherCache: join(main, '.git', 'worktrees', 'other', 'hzl'),
  };
}

/** What tells that a cache file was not written again: a write renames a new file into place. */
const identity = (path: string) => {
  const st = statSync(path);
  return [st.ino, st.mtimeMs];
};

describe('caches per worktree', () => {
  it('two worktrees alternating listings each keep their own cache warm', () => {
    const { main, other, mainCache, otherCache } = twoWorktrees();
    // Different titles in each, so rows of one are wrong for the other.
    const file = (dir: string) => join(dir, '.hzl', 'tasks', '1-one.md');
    writeFileSync(file(other), readFileSync(file(other), 'utf8').replace('title: One', 'title: Uno'));
    expect(titles(main)).toEqual(['One', 'Two', 'Three']);
    expect(titles(other)).toEqual(['Uno', 'Two', 'Three']);
    const [mainIndex, otherIndex] = [join(mainCache, 'index.json'), join(otherCache, 'index.json')];
    const before = [identity(mainIndex), identity(otherIndex)];
    for (let round = 0; round < 2; round++) {
      expect(titles(main)).toEqual(['One', 'Two', 'Three']);
      expect(titles(other)).toEqual(['Uno', 'Two', 'Three']);
    }
    // Neither listing rebuilt anything: both files are the very ones the first listings wrote.
    expect([identity(mainIndex), identity(otherIndex)]).toEqual(before);
  });

  it('a cache another worktree wrote, a deleted one, or one of another version is rebuilt, never believed', () => {
    const { main, other, mainCache, otherCache } = twoWorktrees();
    const file = join(other, '.hzl', 'tasks', '2-two.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('title: Two', 'title: Dos'));
    expect(titles(main)).toEqual(['One', 'Two', 'Three']);
    // The main worktree's rows, copied where the other worktree's belong.
    mkdirSync(otherCache, { recursive: true });
    for (const name of ['index.json', 'notes.json']) copyFileSync(join(mainCache, name), join(otherCache, name));
    expect(titles(other)).toEqual(['One', 'Dos', 'Three']);
    // The whole folder gone: made again.
    rmSync(otherCache, { recursive: true });
    expect(titles(other)).toEqual(['One', 'Dos', 'Three']);
    expect(existsSync(join(otherCache, 'index.json'))).toBe(true);
    // Rows that fit the stamps but come from another version of hzl: not read.
    const index = join(otherCache, 'index.json');
    const doc = JSON.parse(readFileSync(index, 'utf8'));
    const columns = doc.columns.map((c: unknown[], k: number) => (k === 1 ? c.map(() => 'Lie') : c)); // the titles
    writeFileSync(index, JSON.stringify({ ...doc, version: doc.version - 1, columns }));
    expect(titles(other)).toEqual(['One', 'Dos', 'Three']);
    // The same rows under this version are believed (the stamps fit): the test above can fail.
    writeFileSync(index, JSON.stringify({ ...doc, columns }));
    expect(titles(other)).toEqual(['Lie', 'Lie', 'Lie']);
    // Rows of another shape (a column missing) are as good as none.
    writeFileSync(index, JSON.stringify({ ...doc, columns: columns.slice(0, -1) }));
    expect(titles(other)).toEqual(['One', 'Dos', 'Three']);
  });

  it('a corrupt cache in a linked worktree is rebuilt', () => {
    const { other, otherCache } = twoWorktrees();
    expect(titles(other)).toEqual(['One', 'Two', 'Three']);
    for (const name of ['index.json', 'notes.json']) writeFileSync(join(otherCache, name), '{"version": 8, "rows": [[');
    expect(titles(other)).toEqual(['One', 'Two', 'Three']);
    expect(() => JSON.parse(readFileSync(join(otherCache, 'index.json'), 'utf8'))).not.toThrow();
  });
});

describe('racily clean rows', () => {
  const listing = {
    id: 1,
    title: 'T',
    status: 'ready' as const,
    priority: 2,
    tags: [],
    depends_on: [],
    created: 'c',
    updated: 'u',
    file: 'f',
    lastActivity: 'u',
  };
  /** Puts a row for a file with `stamp` at time `at`, saves, and asks a new cache for it. */
  function rowSurvives(stamp: FileStamp, at: number): boolean {
    const dir = tempDir();
    const index = new SummaryIndex(dir, () => at);
    index.set('1-t.md', stamp, listing);
    index.save(['1-t.md']);
    return new SummaryIndex(dir, () => at + 60_000).get('1-t.md', stamp, 'f') !== undefined;
  }
  const fine = 1_700_000_000_123.456; // a time with a fraction of a second, as ext4 or apfs give

  it('a row stamped within a tick of its file changing is re-read next time', () => {
    expect(rowSurvives({ size: 10, mtimeMs: fine, ctimeMs: fine, ino: 7 }, fine + 5)).toBe(false);
    // The ctime counts too: it is what a touch or a write with its mtime set back leaves.
    expect(rowSurvives({ size: 10, mtimeMs: 1_600_000_000_000.5, ctimeMs: fine, ino: 7 }, fine + 5)).toBe(false);
    // A clock behind the file's time: not quiet either.
    expect(rowSurvives({ size: 10, mtimeMs: fine, ctimeMs: fine, ino: 7 }, fine - 1_000)).toBe(false);
    expect(rowSurvives({ size: 10, mtimeMs: fine, ctimeMs: fine, ino: 7 }, fine + 1_000)).toBe(true);
  });

  it('where times are whole seconds, the quiet window is 2 s', () => {
    const whole = 1_700_000_000_000;
    expect(rowSurvives({ size: 10, mtimeMs: whole, ctimeMs: whole, ino: 7 }, whole + 1_500)).toBe(false);
    expect(rowSurvives({ size: 10, mtimeMs: whole, ctimeMs: whole, ino: 7 }, whole + 2_500)).toBe(true);
  });
});

describe('subtasks from the index', () => {
  const subtasks = (dir: string, id: number) =>
    JSON.parse(hzl(dir, ['task', 'show', String(id), '--json']).stdout).task.subtasks.map(
      (s: { id: number; status: string }) => `${s.id}:${s.status}`,
    );
  /** As vim, git and most editors save: a new file renamed over the old one. */
  const editByRename = (file: string, edit: (text: string) => string) => {
    writeFileSync(`${file}.new`, edit(readFileSync(file, 'utf8')));
    renameSync(`${file}.new`, file);
  };
  const cacheOf = (repo: string) => join(repo, '.git', 'hzl', 'folder.index');
  /** Shows #1 until the folder index is saved for the folder as it is (once the folder is quiet). */
  const warm = (repo: string) => {
    const folder = join(repo, '.hzl', 'tasks');
    const saved = () => loadFolderIndex(join(cacheOf(repo), '..'))?.folderMtimeMs === statSync(folder).mtimeMs;
    for (let tries = 0; tries < 100 && !saved(); tries++) expect(subtasks(repo, 1)).toBeDefined();
    expect(saved()).toBe(true);
  };

  it('show learns the children from the folder index, and a hand edit naming a parent is seen', () => {
    const repo = family(ok);
    expect(subtasks(repo, 1)).toEqual(['2:ready']);
    warm(repo);
    const saved = identity(cacheOf(repo));
    expect(subtasks(repo, 1)).toEqual(['2:ready']);
    expect(identity(cacheOf(repo))).toEqual(saved); // read, not rebuilt by a listing
    editByRename(taskFile(repo, 3), (t) => t.replace('title: Loner', 'title: Loner\nparent: 1'));
    expect(subtasks(repo, 1)).toEqual(['2:ready', '3:ready']);
  });

  it("a child's own file edited in place is read again; an in-place edit elsewhere is seen after a listing", () => {
    const repo = family(ok);
    warm(repo);
    const child = taskFile(repo, 2);
    writeFileSync(child, readFileSync(child, 'utf8').replace('status: ready', 'status: blocked'));
    expect(subtasks(repo, 1)).toEqual(['2:blocked']);
    const loner = taskFile(repo, 3);
    writeFileSync(loner, readFileSync(loner, 'utf8').replace('title: Loner', 'title: Loner\nparent: 1'));
    ok(repo, ['task', 'list']);
    expect(subtasks(repo, 1)).toEqual(['2:blocked', '3:ready']);
  });

  it('complete refuses a parent whose open child was named by a hand edit, and is correct with no cache', () => {
    const repo = family(ok);
    ok(repo, ['task', 'complete', '2']);
    warm(repo);
    expect(subtasks(repo, 1)).toEqual(['2:done']);
    editByRename(taskFile(repo, 3), (t) => t.replace('title: Loner', 'title: Loner\nparent: 1'));
    const refused = hzl(repo, ['task', 'complete', '1'], env);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/#3/);
    ok(repo, ['task', 'complete', '3']);
    writeFileSync(cacheOf(repo), '{ corrupt');
    ok(repo, ['task', 'complete', '1']);
  });
});
