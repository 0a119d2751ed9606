// The tasks folder's listing is reused only while no change can have gone unseen: on a file
// system with whole-second times, a folder changed in this second is never trusted at once, even
// where the kernel has multigrain times for other file systems of the same statfs type.

import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TaskFolder } from '../src/store/task-folder.js';
import { git, hzl, runInProcess, tempDir, tempRepo } from './helpers.js';

runInProcess();

describe('a listing of the tasks folder', () => {
  it('is not reused at once when the folder has a whole-second mtime of this very second', () => {
    const dir = join(tempDir(), 'tasks');
    mkdirSync(dir);
    writeFileSync(join(dir, '1-a.md'), '');
    // The next whole second (as ext2 or another whole-second file system gives it): a change
    // still to come in that second would leave the mtime as it is, however the test is timed.
    const second = Math.floor(Date.now() / 1000) + 1;
    utimesSync(dir, second, second);
    const folder = new TaskFolder(dir, '.hzl/tasks');
    folder.eachStamped(() => undefined);
    expect(folder.remembered()).toBeUndefined();
  });

  it('is reused once the folder has been quiet for long enough', () => {
    const dir = join(tempDir(), 'tasks');
    mkdirSync(dir);
    writeFileSync(join(dir, '1-a.md'), '');
    const past = Math.floor(Date.now() / 1000) - 60;
    utimesSync(dir, past, past);
    const folder = new TaskFolder(dir, '.hzl/tasks');
    folder.eachStamped(() => undefined);
    expect(folder.remembered()?.get(1)).toEqual(['1-a.md']);
  });
});

describe('the folder index lock of a linked worktree', () => {
  it('doctor reports what a killed hzl left beside it, and --fix removes it', () => {
    const repo = tempRepo();
    const env = { env: { HZL_AUTHOR: 'alice' } };
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'hzl init');
    const wt = join(tempDir(), 'wt');
    git(repo, 'worktree', 'add', '-q', '-b', 'other', wt);
    expect(hzl(wt, ['task', 'add', 'In the worktree'], env).status).toBe(0);
    const locks = join(git(wt, 'rev-parse', '--absolute-git-dir').trim(), 'hzl', 'locks');
    mkdirSync(locks, { recursive: true });
    const litter = join(locks, 'folder.lock.99999-0123456789ab.new');
    writeFileSync(litter, 'staged');
    const old = new Date(Date.now() - 2 * 3600_000);
    utimesSync(litter, old, old);
    const r = hzl(wt, ['doctor'], env);
    expect(r.stdout).toContain('folder.lock.99999-0123456789ab.new: left in the lock folder by a killed hzl process');
    const fixed = hzl(wt, ['doctor', '--fix'], env);
    expect(fixed.status, fixed.stdout + fixed.stderr).toBe(0);
    expect(existsSync(litter)).toBe(false);
  });
});
