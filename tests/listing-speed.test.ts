// What the warm listing's shortcuts must never change: rows found by position are the rows of
// those files, a cache in another order or with rows of other files is still a cache, and the
// fast paths of the output show exactly what the full ones do.

import {
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { visible } from '../src/core/printable.js';
import type { Task } from '../src/core/task.js';
import { makeStyle } from '../src/output/style.js';
import { renderList } from '../src/output/task-view.js';
import { fastLstat, publicLstat } from '../src/store/raw-lstat.js';
import type { FileStamp } from '../src/store/stamped-cache.js';
import { SummaryIndex, type TaskListing } from '../src/store/summary-index.js';
import { git, hzl, hzlProcess, runInProcess, taskFile, tempDir, tempRepo } from './helpers.js';

runInProcess();

const AT = 1_700_000_000_000; // when the unit tests' rows are put: long after their files changed
const stampOf = (n: number): FileStamp => ({
  size: 100 + n,
  mtimeMs: 1_600_000_000_000 + n,
  ctimeMs: 1_600_000_000_000 + n,
  ino: n,
});
const listingOf = (id: number): TaskListing => ({
  id,
  title: `Task ${id}`,
  status: 'ready',
  priority: 1,
  tags: ['a'],
  depends_on: [],
  created: 'c',
  updated: 'u',
  file: `f${id}`,
  lastActivity: 'u',
});
const nameOf = (id: number) => `${id}-task.md`;

/** The rows of an index.json, `[name, size, mtimeMs, ctimeMs, ino, ...payload]`, from its columns. */
function rowsOf(path: string): unknown[][] {
  const doc = JSON.parse(readFileSync(path, 'utf8'));
  const names: string[] = doc.count === 0 ? [] : doc.names.split('/');
  return names.map((name, i) => [
    name,
    ...doc.stamps.slice(i * 4, i * 4 + 4),
    ...doc.columns.map((c: unknown[]) => c[i]),
  ]);
}
/** Writes `rows` as an index.json of `version`, in columns. */
function writeRows(path: string, version: number, rows: unknown[][]): void {
  const stamps = rows.flatMap((r) => r.slice(1, 5));
  const columns = Array.from({ length: rows[0]!.length - 5 }, (_, k) => rows.map((r) => r[5 + k]));
  const names = rows.map((r) => r[0]).join('/');
  writeFileSync(path, JSON.stringify({ version, count: rows.length, names, stamps, columns }));
}
const rowsIn = (dir: string) => rowsOf(join(dir, 'index.json'));
const namesIn = (dir: string) => rowsIn(dir).map((r) => r[0]);
/** What tells that a cache file was not written again: a write renames a new file into place. */
const identity = (path: string) => {
  const st = statSync(path);
  return [st.ino, st.mtimeMs];
};

/** A summary index in `dir` holding rows for `ids`, saved in that order. */
function savedIndex(dir: string, ids: number[]): void {
  const index = new SummaryIndex(dir, () => AT);
  for (const id of ids) index.set(nameOf(id), stampOf(id), listingOf(id));
  index.save(ids.map(nameOf));
}

/** Looks up `ids` in that order in a new index, as a listing does; what it found, then saves. */
function listFrom(dir: string, ids: number[], stamps = stampOf): Array<number | undefined> {
  const index = new SummaryIndex(dir, () => AT);
  const found = ids.map((id) => index.get(nameOf(id), stamps(id), `f${id}`)?.id);
  ids.forEach((id, i) => {
    if (found[i] === undefined) index.set(nameOf(id), stamps(id), listingOf(id));
  });
  index.save(ids.map(nameOf));
  return found;
}

describe('rows looked up in listing order', () => {
  it('are found where the last listing left them, and the file is not written again', () => {
    const dir = tempDir();
    savedIndex(dir, [3, 1, 2]);
    expect(namesIn(dir)).toEqual(['3-task.md', '1-task.md', '2-task.md']);
    const before = identity(join(dir, 'index.json'));
    expect(listFrom(dir, [3, 1, 2])).toEqual([3, 1, 2]);
    expect(identity(join(dir, 'index.json'))).toEqual(before);
  });

  it('in another order are still found, and saved in the new order', () => {
    const dir = tempDir();
    savedIndex(dir, [1, 2, 3, 4]);
    expect(listFrom(dir, [4, 2, 3, 1])).toEqual([4, 2, 3, 1]);
    expect(namesIn(dir)).toEqual(['4-task.md', '2-task.md', '3-task.md', '1-task.md']);
  });

  it('after a file was added or removed: the others are found, the new one is read, the gone one dropped', () => {
    const dir = tempDir();
    savedIndex(dir, [1, 2, 3, 4]);
    expect(listFrom(dir, [1, 5, 3, 4])).toEqual([1, undefined, 3, 4]);
    expect(namesIn(dir)).toEqual(['1-task.md', '5-task.md', '3-task.md', '4-task.md']);
    expect(listFrom(dir, [1, 5, 3, 4])).toEqual([1, 5, 3, 4]);
  });

  it('are checked against the stamp wherever they are found', () => {
    const dir = tempDir();
    savedIndex(dir, [1, 2, 3]);
    const changed = (id: number) => (id === 2 ? { ...stampOf(2), ctimeMs: stampOf(2).ctimeMs + 1 } : stampOf(id));
    expect(listFrom(dir, [1, 2, 3], changed)).toEqual([1, undefined, 3]);
    expect(rowsIn(dir)[1]![3]).toBe(changed(2).ctimeMs); // the row put again, in its place
    expect(listFrom(dir, [1, 2, 3], changed)).toEqual([1, 2, 3]);
  });

  it('a hand-edited cache with a row twice and a row of no file is rewritten clean', () => {
    const dir = tempDir();
    savedIndex(dir, [1, 2]);
    const doc = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
    const [one, two] = rowsIn(dir) as [unknown[], unknown[]];
    const stale = [two[0], (two[1] as number) + 1, ...two.slice(2)]; // another size: an older version of the file
    writeRows(join(dir, 'index.json'), doc.version, [stale, one, ['9-gone.md', ...one.slice(1)], two]);
    // Either row of 2 may be the one looked at; a stale one is never taken.
    const index = new SummaryIndex(dir, () => AT);
    const two2 = index.get(nameOf(2), stampOf(2), 'f');
    expect(two2?.title ?? 'read again').toMatch(/^(Task 2|read again)$/);
    if (!two2) index.set(nameOf(2), stampOf(2), listingOf(2)); // as a listing does
    expect(index.get(nameOf(1), stampOf(1), 'f')?.title).toBe('Task 1');
    index.save([nameOf(2), nameOf(1)]);
    expect(rowsIn(dir).map((r) => [r[0], r[1]])).toEqual([
      ['2-task.md', 102],
      ['1-task.md', 101],
    ]);
  });
});

describe('index.json in columns', () => {
  /** Whether a new index finds the rows of 1 and 2 after `edit` changed the saved file. */
  function foundAfter(edit: (doc: Record<string, unknown>) => unknown): Array<number | undefined> {
    const dir = tempDir();
    savedIndex(dir, [1, 2]);
    const path = join(dir, 'index.json');
    writeFileSync(path, JSON.stringify(edit(JSON.parse(readFileSync(path, 'utf8')))));
    const index = new SummaryIndex(dir, () => AT);
    return [1, 2].map((id) => index.get(nameOf(id), stampOf(id), 'f')?.id);
  }

  it('as saved, is found; of another version or shape, is as good as none', () => {
    expect(foundAfter((doc) => doc)).toEqual([1, 2]);
    const none = [undefined, undefined];
    expect(foundAfter((doc) => ({ ...doc, version: (doc.version as number) - 1 }))).toEqual(none);
    expect(foundAfter((doc) => ({ ...doc, count: 3 }))).toEqual(none);
    expect(foundAfter((doc) => ({ ...doc, count: 1.5 }))).toEqual(none);
    expect(foundAfter((doc) => ({ ...doc, names: `${doc.names}/3-task.md` }))).toEqual(none); // a name more
    expect(foundAfter((doc) => ({ ...doc, names: '1-task.md' }))).toEqual(none); // a name less
    expect(foundAfter((doc) => ({ ...doc, stamps: (doc.stamps as number[]).slice(1) }))).toEqual(none);
    expect(foundAfter((doc) => ({ ...doc, columns: (doc.columns as unknown[][]).slice(1) }))).toEqual(none);
    const shortColumn = (doc: Record<string, unknown>) => (doc.columns as unknown[][]).map((c, k) => (k ? c : [c[0]]));
    expect(foundAfter((doc) => ({ ...doc, columns: shortColumn(doc) }))).toEqual(none);
    expect(foundAfter(() => null)).toEqual(none);
    expect(foundAfter(() => [1, 2])).toEqual(none);
  });

  it('a value of the wrong type costs its row only; of a name given twice, the first row is the one looked at', () => {
    const retitle = (doc: Record<string, unknown>) =>
      (doc.columns as unknown[][]).map((c, k) => (k === 1 ? [7, c[1]] : c));
    expect(foundAfter((doc) => ({ ...doc, columns: retitle(doc) }))).toEqual([undefined, 2]);
    expect(foundAfter((doc) => ({ ...doc, names: '2-task.md/2-task.md' }))).toEqual([undefined, undefined]);
  });

  it('with no rows at all', () => {
    const dir = tempDir();
    savedIndex(dir, [1]);
    listFrom(dir, []); // the file gone
    expect(JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'))).toMatchObject({ count: 0, names: '' });
    expect(listFrom(dir, [1])).toEqual([undefined]);
    expect(listFrom(dir, [1])).toEqual([1]);
  });
});

describe('the summary index through the CLI', () => {
  const env = { env: { HZL_NOW: '2024-01-15T10:00:00Z', HZL_AUTHOR: 'alice' } };
  const lines = (repo: string) => hzl(repo, ['task', 'list'], env).stdout;
  const indexOf = (repo: string) => join(repo, '.git', 'hzl', 'index.json');
  /** The task files in the order the folder lists them, as a listing meets them. */
  const folderOrder = (repo: string) => readdirSync(join(repo, '.hzl', 'tasks')).filter((n) => /^\d+-.*\.md$/.test(n));

  /** Lists until the index holds a row for each of `count` files (rows of files written a moment ago wait). */
  function listUntilSaved(repo: string, count: number): void {
    for (let attempt = 0; attempt < 500; attempt++) {
      lines(repo);
      try {
        if (rowsOf(indexOf(repo)).length === count) return;
      } catch {
        // not written yet
      }
    }
    throw new Error(`index.json never held ${count} rows`);
  }

  it('shuffled, or holding rows of files gone and missing rows of files there, lists what the files say', () => {
    const repo = tempRepo();
    for (const title of ['One', 'Two', 'Three', 'Four']) hzl(repo, ['task', 'add', title], env);
    const expected = lines(repo);
    listUntilSaved(repo, 4);
    const version = JSON.parse(readFileSync(indexOf(repo), 'utf8')).version;
    expect(namesOf(indexOf(repo))).toEqual(folderOrder(repo));
    writeRows(indexOf(repo), version, rowsOf(indexOf(repo)).reverse());
    expect(lines(repo)).toBe(expected);
    expect(namesOf(indexOf(repo))).toEqual(folderOrder(repo)); // saved again in the folder's order
    const settled = identity(indexOf(repo));
    expect(lines(repo)).toBe(expected);
    expect(identity(indexOf(repo))).toEqual(settled);

    // A file gone and a row for it; a new file and no row for it.
    git(repo, 'rm', '-q', '--cached', '--ignore-unmatch', taskFile(repo, 2));
    rmSync(taskFile(repo, 2));
    hzl(repo, ['task', 'add', 'Five'], env);
    const now = lines(repo);
    expect(now).toContain('\tFive\n');
    expect(now).not.toContain('\tTwo\n');
    expect(now.split('\n').filter(Boolean)).toHaveLength(4);
    listUntilSaved(repo, 4);
    expect(namesOf(indexOf(repo))).toEqual(folderOrder(repo));
  });
});

const namesOf = (path: string) => rowsOf(path).map((r) => r[0]);

describe('output fast paths', () => {
  it('visible: printable ASCII is shown as it is; everything else as before', () => {
    const ascii = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('');
    expect(visible(ascii)).toBe(ascii);
    expect(visible('a\x7fb')).toBe('a\\x7fb');
    expect(visible('a\x1fb')).toBe('a\\x1fb');
    expect(visible('tab\there')).toBe('tab\\there');
    expect(visible('line\nbreak', { multiline: true })).toBe('line\nbreak');
    expect(visible('caf\u00e9 \u202eevil')).toBe('caf\u00e9 \\u202eevil');
    expect(visible('lone \udc80 byte')).toBe('lone \ufffd byte');
  });

  const task = (id: number, over: Partial<Task> = {}): Task => ({
    id,
    title: `Task ${id}`,
    status: 'ready',
    priority: 0,
    tags: [],
    depends_on: [],
    created: '2024-01-15T10:00:00Z',
    updated: '2024-01-15T10:00:00Z',
    description: '',
    checkpoints: [],
    history: [],
    ...over,
  });

  it('the piped list: one tab-separated line per task, branches last, unreadable files after', () => {
    const tasks = [task(1, { author: 'bob\x1b[2J', priority: 2 }), task(12, { title: 'Tab\there' })];
    const unreadable = [{ id: 7, file: '.hzl/tasks/7-x.md', line: 3, problem: '.hzl/tasks/7-x.md:3: bad\tvalue' }];
    expect(renderList(tasks, false, makeStyle(false), undefined, unreadable)).toBe(
      [
        '1\tready\t2\tbob\\e[2J\tTask 1',
        '12\tready\t0\t-\tTab\\there',
        '7\tunreadable\t-\t-\t.hzl/tasks/7-x.md:3: bad\\tvalue',
        '',
      ].join('\n'),
    );
    expect(renderList(tasks, false, makeStyle(false), ['main', 'f\teature'], unreadable)).toBe(
      [
        '1\tready\t2\tbob\\e[2J\tTask 1\tmain',
        '12\tready\t0\t-\tTab\\there\tf\\teature',
        '7\tunreadable\t-\t-\t.hzl/tasks/7-x.md:3: bad\\tvalue\t-',
        '',
      ].join('\n'),
    );
    expect(renderList([], false, makeStyle(false), undefined, [])).toBe('');
  });
});

describe('stamps without Stats objects', () => {
  it('are what lstatSync gives, to the last bit, for a file, a folder and a link; a missing file throws', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'f.md'), 'x'.repeat(123));
    writeFileSync(join(dir, 'g.md'), 'y');
    utimesSync(join(dir, 'g.md'), 1_700_000_000.123456, 1_700_000_000.987654); // fractions to round
    mkdirSync(join(dir, 'd'));
    symlinkSync('f.md', join(dir, 'l.md'));
    const lstat = fastLstat(join(dir, 'f.md'));
    // On Node 20, the binding's: the point of it.
    if (process.versions.node.startsWith('20.')) expect(lstat).not.toBe(publicLstat);
    for (const name of ['f.md', 'g.md', 'd', 'l.md', '.']) {
      expect([...lstat(join(dir, name))]).toEqual([...publicLstat(join(dir, name))]);
    }
    expect([...lstat(join(dir, 'l.md'))][0]).toBe(0); // a link is not a regular file
    expect(() => lstat(join(dir, 'gone.md'))).toThrow();
  });

  it('come from lstatSync when the probe cannot be checked', () => {
    expect(fastLstat(join(tempDir(), 'none.md'))).toBe(publicLstat);
  });

  it('leave no warning on stderr, even where Node warns of pending deprecations', () => {
    const repo = tempRepo();
    const env = { env: { HZL_AUTHOR: 'alice', NODE_OPTIONS: '--pending-deprecation' } };
    hzl(repo, ['task', 'add', 'One'], env);
    const r = hzlProcess(repo, ['task', 'list'], env);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('\tOne\n');
  });
});
