// The summary index is a cache: it must never show anything the files do not say.

import { readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, hzl, taskFile, tempRepo } from './helpers.js';

const env = { env: { HZL_NOW: '2024-01-15T10:00:00Z', HZL_AUTHOR: 'alice' } };
const titles = (repo: string) => JSON.parse(hzl(repo, ['task', 'list', '--json']).stdout).tasks.map((t: { title: string }) => t.title);

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
    expect(JSON.parse(readFileSync(absolute, 'utf8')).entries).toHaveProperty(['1-aaaa.md']);

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
    expect(Object.keys(JSON.parse(readFileSync(indexPath, 'utf8')).entries)).toEqual(['1-one.md']);
  });
});
