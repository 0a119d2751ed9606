// The summary index is a cache: it must never show anything the files do not say.

import { readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, hzl, runInProcess, taskFile, tempRepo } from './helpers.js';

runInProcess();

const env = { env: { HZL_NOW: '2024-01-15T10:00:00Z', HZL_AUTHOR: 'alice' } };
/** The task files an index has rows for (each row starts with the file name). */
const rowNames = (path: string) => {
  const text = readFileSync(path, 'utf8');
  // search.cache: a line naming the format, then the rows as a JSON line, then the records.
  const rows = text.startsWith('hzl-search-cache ') ? JSON.parse(text.split('\n')[1]!) : JSON.parse(text).rows;
  // index.json: in columns, the names joined by '/'.
  if (rows === undefined) return (JSON.parse(text).names as string).split('/').filter(Boolean).sort();
  return rows.map((r: unknown[]) => r[0]).sort();
};
const titles = (repo: string) =>
  JSON.parse(hzl(repo, ['task', 'list', '--json']).stdout).tasks.map((t: { title: string }) => t.title);

/**
 * Rows of files written a moment ago are not saved (their stamps could still change within the
 * same tick: "racily clean", as git says): read again until the cache holds them, a bounded number
 * of times. In-process calls come faster than the quiet window; a process start is slower.
 */
function readUntilSaved(read: () => void, path: string, names: string[]): void {
  for (let attempt = 0; attempt < 500; attempt++) {
    read();
    try {
      if (JSON.stringify(rowNames(path)) === JSON.stringify(names)) return;
    } catch {
      // not written yet
    }
  }
  expect(rowNames(path)).toEqual(names);
}

describe('summary index', () => {
  it('is built in the git common dir and follows hand edits, even size- and mtime-preserving ones', () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'Aaaa'], env);
    hzl(repo, ['task', 'add', 'Second'], env);
    const file = taskFile(repo, 1);
    utimesSync(file, 1_700_000_000, 1_700_000_000); // a whole second, so it can be set back exactly
    expect(titles(repo)).toEqual(['Aaaa', 'Second']);
    const indexPath = join(git(repo, 'rev-parse', '--git-common-dir').trim(), 'hzl', 'index.json');
    const absolute = indexPath.startsWith('/') ? indexPath : join(repo, indexPath);
    readUntilSaved(() => titles(repo), absolute, ['1-aaaa.md', '2-second.md']);

    // Same size, same inode, mtime set back: only the ctime tells.
    const before = statSync(file);
    writeFileSync(file, readFileSync(file, 'utf8').replace('title: Aaaa', 'title: Bbbb'));
    utimesSync(file, 1_700_000_000, 1_700_000_000);
    const after = statSync(file);
    expect([after.size, after.ino, after.mtimeMs]).toEqual([before.size, before.ino, before.mtimeMs]);
    expect(titles(repo)).toEqual(['Bbbb', 'Second']);
  });

  it('is rebuilt when corrupt, and forgets files that are gone', () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'One'], env);
    hzl(repo, ['task', 'add', 'Two'], env);
    expect(titles(repo)).toEqual(['One', 'Two']);
    const common = git(repo, 'rev-parse', '--git-common-dir').trim();
    const indexPath = join(common.startsWith('/') ? common : join(repo, common), 'hzl', 'index.json');
    writeFileSync(indexPath, '{ not json');
    expect(titles(repo)).toEqual(['One', 'Two']);
    expect(JSON.parse(readFileSync(indexPath, 'utf8')).version).toBeGreaterThan(0);
    git(repo, 'rm', '-q', '--cached', '--ignore-unmatch', taskFile(repo, 2));
    rmSync(taskFile(repo, 2));
    expect(titles(repo)).toEqual(['One']);
    readUntilSaved(() => titles(repo), indexPath, ['1-one.md']);
  });

  /** Rewrites `file` by hand keeping its size, inode and mtime: only the ctime tells. */
  function sneakyEdit(file: string, from: string, to: string) {
    expect(to.length).toBe(from.length);
    utimesSync(file, 1_700_000_000, 1_700_000_000);
    const before = statSync(file);
    writeFileSync(file, readFileSync(file, 'utf8').replace(from, to));
    utimesSync(file, 1_700_000_000, 1_700_000_000);
    const after = statSync(file);
    expect([after.size, after.ino, after.mtimeMs]).toEqual([before.size, before.ino, before.mtimeMs]);
  }

  const stateFile = (repo: string, name: string) => {
    const common = git(repo, 'rev-parse', '--git-common-dir').trim();
    return join(common.startsWith('/') ? common : join(repo, common), 'hzl', name);
  };
  const found = (repo: string, text: string) =>
    JSON.parse(hzl(repo, ['task', 'search', text, '--json']).stdout).tasks.map((t: { id: number }) => t.id);
  const lastCheckpoints = (repo: string) =>
    JSON.parse(hzl(repo, ['task', 'list', '--json']).stdout).tasks.map(
      (t: { last_checkpoint: { text: string } | null }) => t.last_checkpoint?.text ?? null,
    );

  it('search follows hand edits and a corrupt search cache, and finds text that YAML quotes', () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'Use Redis for sessions'], env);
    hzl(repo, ['task', 'add', 'Rate limiting: "token" bucket'], env);
    hzl(repo, ['task', 'checkpoint', '2', 'Picked Redis after all'], {
      env: { ...env.env, HZL_NOW: '2024-01-15T11:00:00Z' },
    });
    expect(found(repo, 'redis')).toEqual([2, 1]);
    expect(found(repo, 'limiting: "token"')).toEqual([2]);
    const cache = stateFile(repo, 'search.cache');
    readUntilSaved(() => found(repo, 'redis'), cache, [
      '1-use-redis-for-sessions.md',
      '2-rate-limiting-token-bucket.md',
    ]);

    sneakyEdit(taskFile(repo, 1), 'title: Use Redis', 'title: Use Kafka');
    expect(found(repo, 'redis')).toEqual([2]);
    expect(found(repo, 'kafka')).toEqual([1]);
    // The cached task is what a match shows: it follows the edit too.
    expect(JSON.parse(hzl(repo, ['task', 'search', 'kafka', '--json']).stdout).tasks[0].title).toBe(
      'Use Kafka for sessions',
    );

    // Records that no longer parse, or point past the end: the files are read instead.
    const [magic, head, ...records] = readFileSync(cache, 'utf8').split('\n');
    expect(magic).toMatch(/^hzl-search-cache \d+ \d+$/);
    writeFileSync(cache, [magic, head, ...records.map((r) => r.replace(/"title":"/, '"title":'))].join('\n'));
    expect(found(repo, 'kafka')).toEqual([1]);
    writeFileSync(cache, `${magic}\n${head}`); // records cut off
    expect(found(repo, 'redis')).toEqual([2]);
    writeFileSync(cache, `${magic}\n${head!.slice(0, 20)}`); // the rows cut off
    expect(found(repo, 'kafka')).toEqual([1]);
    writeFileSync(cache, '{"version": 1, "rows": [["1-use-redis-for-sessions.md", 1, 2]]}');
    expect(found(repo, 'kafka')).toEqual([1]);
    expect(found(repo, 'redis')).toEqual([2]);
  });

  it('the notes cache (last checkpoint, extra fields) follows hand edits, and only --json reads it', () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'One'], env);
    hzl(repo, ['task', 'checkpoint', '1', 'First step done'], env);
    hzl(repo, ['task', 'add', 'Two'], env);
    hzl(repo, ['task', 'list'], env);
    expect(() => readFileSync(stateFile(repo, 'notes.json'))).toThrow(); // a plain listing needs no notes
    expect(lastCheckpoints(repo)).toEqual(['First step done', null]);
    readUntilSaved(() => lastCheckpoints(repo), stateFile(repo, 'notes.json'), ['1-one.md', '2-two.md']);

    sneakyEdit(taskFile(repo, 1), 'First step done', 'Third step done');
    expect(lastCheckpoints(repo)).toEqual(['Third step done', null]);

    // A row of the right version but the wrong shape is ignored, not trusted.
    const notes = JSON.parse(readFileSync(stateFile(repo, 'notes.json'), 'utf8'));
    notes.rows = notes.rows.map((r: unknown[]) => [...r.slice(0, 5), 'bogus']);
    writeFileSync(stateFile(repo, 'notes.json'), JSON.stringify(notes));
    expect(lastCheckpoints(repo)).toEqual(['Third step done', null]);
  });
});
