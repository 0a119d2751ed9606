import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cloneOf, commitAll, letGo, remoteRefs, started, team, tick } from './clone-helpers.js';
import { git, hzl, hzlAsync, readTask, runInProcess, taskFile, tempDir } from './helpers.js';

runInProcess();

const AT = (iso: string, author = 'agent') => ({ env: { HZL_NOW: iso, HZL_AUTHOR: author } });
const stateDir = (repo: string) => join(repo, '.git', 'hzl');

describe('offline work from parallel writers', () => {
  it('every parallel offline add is remembered, and sync reserves every id on the remote', async () => {
    const { first, bare } = await team(0);
    const n = 8;
    const env = { HZL_NOW: '2024-01-01T10:00:00Z', HZL_AUTHOR: 'away', HZL_OFFLINE: '1' };
    const runs = await Promise.all(
      Array.from({ length: n }, (_, i) => hzlAsync(first, ['task', 'add', `Offline ${i}`], { env })),
    );
    for (const r of runs) expect(r.status, r.stderr).toBe(0);
    const pending = JSON.parse(readFileSync(join(stateDir(first), 'offline.json'), 'utf8')) as unknown[];
    expect(pending).toHaveLength(n);
    const sync = hzl(first, ['sync'], AT('2024-01-01T11:00:00Z'));
    expect(sync.status, sync.stderr).toBe(0);
    const ids = Array.from({ length: n }, (_, i) => `refs/hzl/ids/${i + 1}`);
    expect(remoteRefs(bare, 'refs/hzl/ids/').sort()).toEqual(ids.sort());
    expect(JSON.parse(readFileSync(join(stateDir(first), 'offline.json'), 'utf8'))).toEqual([]);

    // A sync among more offline adds: each new id is reserved on the remote or still remembered.
    const more = Array.from({ length: 4 }, (_, i) => hzlAsync(first, ['task', 'add', `Later ${i}`], { env }));
    const during = await hzlAsync(first, ['sync'], AT('2024-01-01T11:00:00Z'));
    for (const r of await Promise.all(more)) expect(r.status, r.stderr).toBe(0);
    expect(during.status, during.stderr).toBe(0);
    const left = JSON.parse(readFileSync(join(stateDir(first), 'offline.json'), 'utf8')) as Array<{ id: number }>;
    const reserved = remoteRefs(bare, 'refs/hzl/ids/').map((r) => Number(r.split('/').pop()));
    const known = [...new Set([...reserved, ...left.map((e) => e.id)])].sort((x, y) => x - y);
    expect(known).toEqual(Array.from({ length: n + 4 }, (_, i) => i + 1));
  }, 120_000);

  it('an offline add that finds the list being written waits for it, and both entries are kept', async () => {
    const { first } = await team(0);
    const steps = tempDir();
    const env = { HZL_NOW: '2024-01-01T10:00:00Z', HZL_AUTHOR: 'away', HZL_OFFLINE: '1', HZL_TEST_LOCK_STEPS: steps };
    const a = started(first, ['task', 'add', 'A'], env);
    // A stops once it has read the list; then B starts, and runs until it waits (for A), or ends.
    const stopped = (f: string) => f.endsWith('.offline-read');
    while (!letGo(steps, a.pid, stopped).some(stopped)) await tick();
    const b = started(first, ['task', 'add', 'B'], env);
    while (!b.gone() && !letGo(steps, b.pid).some((f) => f.endsWith('.waiting'))) await tick();
    while (!a.gone() || !b.gone()) {
      letGo(steps, a.pid);
      letGo(steps, b.pid);
      await tick();
    }
    expect([await a.exit, await b.exit]).toEqual([0, 0]);
    const pending = JSON.parse(readFileSync(join(stateDir(first), 'offline.json'), 'utf8')) as Array<{ id: number }>;
    expect(pending.map((e) => e.id).sort()).toEqual([1, 2]);
  }, 120_000);
});

describe('an offline add and hzl sync at the same time', () => {
  it('sync waits for an add between its entry and its file, and reserves its id', async () => {
    const { first, bare } = await team(0);
    const steps = tempDir();
    const env = { HZL_NOW: '2024-01-01T10:00:00Z', HZL_AUTHOR: 'away', HZL_OFFLINE: '1', HZL_TEST_LOCK_STEPS: steps };
    const add = started(first, ['task', 'add', 'Offline one'], env);
    // The add runs until it has remembered its entry, and stops at its next lock step (the file is not written).
    let readAt: number | undefined;
    const after = (f: string) => readAt !== undefined && Number(f.split('.')[1]) > readAt;
    for (;;) {
      const files = letGo(steps, add.pid, after);
      const read = files.find((f) => f.endsWith('.offline-read'));
      if (read) readAt = Number(read.split('.')[1]);
      if (files.some(after)) break;
      await tick();
    }
    expect(JSON.parse(readFileSync(join(stateDir(first), 'offline.json'), 'utf8'))).toHaveLength(1);
    expect(existsSync(join(first, '.hzl', 'tasks', '1-offline-one.md'))).toBe(false);

    const syncSteps = tempDir();
    const sync = started(first, ['sync'], { ...AT('2024-01-01T11:00:00Z').env, HZL_TEST_LOCK_STEPS: syncSteps });
    let waited = false;
    while (!sync.gone() && !waited) {
      waited = letGo(syncSteps, sync.pid).some((f) => f.endsWith('.waiting'));
      await tick();
    }
    expect(waited).toBe(true); // for the add's id lock
    while (!add.gone() || !sync.gone()) {
      letGo(steps, add.pid);
      letGo(syncSteps, sync.pid);
      await tick();
    }
    expect([await add.exit, await sync.exit]).toEqual([0, 0]);
    expect(remoteRefs(bare, 'refs/hzl/ids/')).toEqual(['refs/hzl/ids/1']);
    expect(JSON.parse(readFileSync(join(stateDir(first), 'offline.json'), 'utf8'))).toEqual([]);
    expect(readTask(first, 1)).toMatch(/title: Offline one/);
  }, 120_000);

  it('an add whose write fails forgets its entry: the retry is remembered once and sync keeps its number', async ({
    skip,
  }) => {
    const { first, bare } = await team(0);
    const tasks = join(first, '.hzl', 'tasks');
    // An immutable folder (ext4, as root): the add's write fails after its entry was written.
    if (spawnSync('chattr', ['+i', tasks]).status !== 0) return skip();
    const env = { HZL_NOW: '2024-01-01T10:00:00Z', HZL_AUTHOR: 'away', HZL_OFFLINE: '1' };
    try {
      const failed = hzl(first, ['task', 'add', 'Offline one'], { env });
      expect(failed.status, failed.stderr).toBe(5);
      expect(JSON.parse(readFileSync(join(stateDir(first), 'offline.json'), 'utf8'))).toEqual([]);
    } finally {
      spawnSync('chattr', ['-i', tasks]);
    }
    expect(hzl(first, ['task', 'add', 'Offline one'], { env }).status).toBe(0);
    expect(JSON.parse(readFileSync(join(stateDir(first), 'offline.json'), 'utf8'))).toHaveLength(1);
    const sync = hzl(first, ['sync'], AT('2024-01-01T11:00:00Z'));
    expect(sync.status, sync.stderr).toBe(0);
    expect(sync.stdout + sync.stderr).not.toMatch(/renumbered/);
    expect(remoteRefs(bare, 'refs/hzl/ids/')).toEqual(['refs/hzl/ids/1']);
    expect(readTask(first, 1)).toMatch(/title: Offline one/);
  }, 60_000);
});

describe('a claim whose local write fails', () => {
  it('is taken back from the remote: exit 5, the file unchanged, no claim ref', async () => {
    const { first, bare } = await team(0);
    expect(hzl(first, ['task', 'add', 'One'], AT('2024-01-01T09:00:00Z')).status).toBe(0);
    expect(hzl(first, ['task', 'add', 'Two'], AT('2024-01-01T09:00:00Z')).status).toBe(0);
    const file = taskFile(first, 2);
    const before = readTask(first, 2);
    chmodSync(file, 0o444);
    try {
      const r = hzl(first, ['task', 'claim', '2'], AT('2024-01-01T10:00:00Z', 'carol'));
      expect(r.status, r.stderr).toBe(5);
      expect(readTask(first, 2)).toBe(before);
      expect(remoteRefs(bare, 'refs/hzl/claims/')).toEqual([]);
    } finally {
      chmodSync(file, 0o644);
    }
    // Free for everyone: another clone claims it at once.
    const other = cloneOf(bare);
    commitAll(first, 'two tasks');
    git(first, 'push', '-q', 'origin', 'main');
    git(other, 'pull', '-q', '--no-rebase', 'origin', 'main');
    const taken = hzl(other, ['task', 'claim', '2'], AT('2024-01-01T10:01:00Z', 'dave'));
    expect(taken.status, taken.stderr).toBe(0);
  }, 60_000);
});

describe('claim --next whose local write fails', () => {
  it('gives the claim back too', async () => {
    const { first, bare } = await team(0);
    expect(hzl(first, ['task', 'add', 'Only'], AT('2024-01-01T09:00:00Z')).status).toBe(0);
    const file = taskFile(first, 1);
    const before = readTask(first, 1);
    chmodSync(file, 0o444);
    try {
      const r = hzl(first, ['task', 'claim', '--next'], AT('2024-01-01T10:00:00Z', 'carol'));
      expect(r.status, r.stderr).toBe(5);
      expect(readTask(first, 1)).toBe(before);
      expect(remoteRefs(bare, 'refs/hzl/claims/')).toEqual([]);
    } finally {
      chmodSync(file, 0o644);
    }
  }, 60_000);
});

describe('the cached remote claims', () => {
  it("follow this clone's own claim and release: no stale '(other clone)' in list", async () => {
    const { first } = await team(0);
    expect(hzl(first, ['task', 'add', 'Mine'], AT('2024-01-01T09:00:00Z')).status).toBe(0);
    expect(hzl(first, ['task', 'claim', '1'], AT('2024-01-01T10:00:00Z', 'alice')).status).toBe(0);
    expect(hzl(first, ['task', 'list'], AT('2024-01-01T10:00:05Z')).stdout).toMatch(/^1\tin_progress\t0\talice\t/);
    expect(hzl(first, ['task', 'release', '1'], AT('2024-01-01T10:00:10Z', 'alice')).status).toBe(0);
    const r = hzl(first, ['task', 'list'], AT('2024-01-01T10:00:15Z'));
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^1\tready\t/);
    expect(r.stdout).not.toContain('other clone');
  }, 60_000);

  it('a cache of another remote is not used', async () => {
    const { first } = await team(0);
    expect(hzl(first, ['task', 'add', 'Free'], AT('2024-01-01T09:00:00Z')).status).toBe(0);
    const claim = { id: 1, author: 'mallory', clone: 'far:/away', lease_until: '2024-01-01T11:00:00Z', expired: false };
    const fetched = Date.parse('2024-01-01T10:00:00Z');
    const cache = { remote: 'upstream', fetched, claimsFetched: fetched, claims: [claim] };
    writeFileSync(join(stateDir(first), 'remote-claims.json'), `${JSON.stringify(cache)}\n`);
    const r = hzl(first, ['task', 'list'], AT('2024-01-01T10:00:05Z'));
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^1\tready\t/);
  }, 60_000);

  it('claims carried through failed fetches keep their fetch time, and age out', async () => {
    const { first, bare } = await team(0);
    expect(hzl(first, ['task', 'add', 'Shared'], AT('2024-01-01T09:00:00Z')).status).toBe(0);
    commitAll(first, 'add #1');
    git(first, 'push', '-q', 'origin', 'main');
    const other = cloneOf(bare);
    const claim = hzl(other, ['task', 'claim', '1', '--lease', '4h'], AT('2024-01-01T10:00:00Z', 'agent-3'));
    expect(claim.status, claim.stderr).toBe(0);
    expect(hzl(first, ['task', 'list'], AT('2024-01-01T10:01:00Z')).stdout).toMatch(/agent-3 \(other clone\)/);
    renameSync(bare, `${bare}.away`); // out of reach, at the same URL: the cache of that URL stays in use
    // Tried again at every stale read; each failure carries the claims with their own time.
    for (const at of ['10:02', '11:00', '11:59']) {
      const r = hzl(first, ['task', 'list'], AT(`2024-01-01T${at}:00Z`));
      expect(r.stdout, at).toMatch(/agent-3 \(other clone\)/);
      expect(r.stderr).toMatch(/claims in other clones are not known/);
    }
    const cache = JSON.parse(readFileSync(join(stateDir(first), 'remote-claims.json'), 'utf8'));
    expect(cache.claimsFetched).toBe(Date.parse('2024-01-01T10:01:00Z'));
    // Older than a lease (2h by default): not known any more.
    const late = hzl(first, ['task', 'list'], AT('2024-01-01T12:02:00Z'));
    expect(late.stdout).toMatch(/^1\tready\t/);
    expect(late.stderr).toMatch(/claims in other clones are not known/);
  }, 60_000);
});
