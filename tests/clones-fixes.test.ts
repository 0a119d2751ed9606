// Coordination across clones, three fixes: offline work remembered by parallel writers, a claim
// taken back from the remote when the local write fails, and the cached remote claims following
// this clone's own claim writes (and the remote they came from).

import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cloneOf, commitAll, remoteRefs, team } from './clone-helpers.js';
import { git, hzl, hzlAsync, readTask, runInProcess, taskFile } from './helpers.js';

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
  }, 120_000);
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
