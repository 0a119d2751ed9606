// Commands take their environment, directory and streams from the surroundings they are given,
// never from the process: the in-process runner gives them other values than its own process
// has, so a command that read process.env here would answer differently than it does as hzl.

import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hzlInProcess, readTask, tempRepo } from './helpers.js';

const ALICE = { HZL_AUTHOR: 'alice' };

describe('the environment a command is given', () => {
  it('HZL_WRITE_DURING_REBASE from it lets a write through during a rebase', () => {
    const repo = tempRepo();
    expect(hzlInProcess(repo, ['task', 'add', 'A'], { env: ALICE }).status).toBe(0);
    mkdirSync(join(repo, '.git', 'rebase-merge'));
    expect(hzlInProcess(repo, ['task', 'checkpoint', '1', 'refused'], { env: ALICE }).status).toBe(4);
    const r = hzlInProcess(repo, ['task', 'checkpoint', '1', 'written'], {
      env: { ...ALICE, HZL_WRITE_DURING_REBASE: '1' },
    });
    expect(r.status).toBe(0);
    expect(readTask(repo, 1)).toContain('alice: written');
  });

  it('HZL_LOCK_TIMEOUT_MS from it bounds the wait for a lock (the default is 10 s)', () => {
    const repo = tempRepo();
    expect(hzlInProcess(repo, ['task', 'add', 'A'], { env: ALICE }).status).toBe(0);
    const locks = join(repo, '.git', 'hzl', 'locks');
    mkdirSync(locks, { recursive: true });
    // the holder is this live process: the lock is not stale
    writeFileSync(join(locks, 'task-1.lock'), `${process.pid}\n${hostname()}\n1700000000000-live\n`);
    const started = Date.now();
    const r = hzlInProcess(repo, ['task', 'checkpoint', '1', 'x'], { env: { ...ALICE, HZL_LOCK_TIMEOUT_MS: '200' } });
    expect(r.stderr).toMatch(/^hzl: task #1 is locked by another hzl process/);
    expect(r.status).toBe(4);
    expect(Date.now() - started).toBeLessThan(9_000);
  });

  it("HZL_LOCK_TIMEOUT_MS from it bounds the wait for a bookkeeping file's lock (offline.json)", () => {
    const repo = tempRepo();
    writeFileSync(join(repo, '.hzl', 'config.yml'), 'remote: origin\n');
    const locks = join(repo, '.git', 'hzl', 'locks');
    mkdirSync(locks, { recursive: true });
    writeFileSync(join(locks, 'offline.lock'), `${process.pid}\n${hostname()}\n1700000000000-live\n`);
    const started = Date.now();
    const r = hzlInProcess(repo, ['task', 'add', 'A', '--offline'], { env: { ...ALICE, HZL_LOCK_TIMEOUT_MS: '200' } });
    expect(r.stderr).toMatch(/^hzl: the offline work list is locked by another hzl process/);
    expect(r.status).toBe(4);
    expect(Date.now() - started).toBeLessThan(9_000);
  });

  it('GIT_CONFIG_GLOBAL from it decides whether git names the actor', () => {
    const repo = tempRepo({ user: false });
    // The runner's own process may well have a global git identity; the command's has none.
    const r = hzlInProcess(repo, ['task', 'add', 'A']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^hzl: who is acting\?/);
  });

  it('--version is written to the stdout it is given', () => {
    const r = hzlInProcess(tempRepo(), ['--version']);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(r.status).toBe(0);
  });
});
