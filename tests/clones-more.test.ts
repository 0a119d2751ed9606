// Across clones, what remained: the --offline flag, claims held in other clones in `list` and
// `stuck`, and offline references that follow a renumbering under each task's lock.

import { describe, expect, it } from 'vitest';
import { errors, remoteRefs, team } from './clone-helpers.js';
import { git, hzl, readTask, tempDir } from './helpers.js';

const AT = (iso: string, author = 'agent') => ({ env: { HZL_NOW: iso, HZL_AUTHOR: author } });

describe('--offline', () => {
  it('writes locally while the remote is out of reach, and hzl sync reconciles it later', async () => {
    const { bare, clones } = await team(1);
    const away = clones[0]!;
    const url = git(away, 'remote', 'get-url', 'origin').trim();
    git(away, 'remote', 'set-url', 'origin', `${tempDir()}/gone.git`); // on a plane
    const online = hzl(away, ['task', 'add', 'Needs the remote'], AT('2024-01-01T10:00:00Z'));
    expect(online.status).toBe(6);

    const added = hzl(away, ['task', 'add', 'Written offline', '--offline'], AT('2024-01-01T10:00:00Z', 'away'));
    expect([added.status, added.stdout, errors(added.stderr)]).toEqual([0, '1\n', 'Created task #1: Written offline (.hzl/tasks/1-written-offline.md)\n']);
    // A global option: before the command words too.
    const claimed = hzl(away, ['--offline', 'task', 'claim', '1'], AT('2024-01-01T10:01:00Z', 'away'));
    expect(claimed.status, claimed.stderr).toBe(0);
    expect(remoteRefs(bare, 'refs/hzl/')).toEqual([]);

    git(away, 'remote', 'set-url', 'origin', url); // landed
    const sync = hzl(away, ['sync', '--json'], AT('2024-01-01T11:00:00Z'));
    expect(sync.status, sync.stderr).toBe(0);
    expect((JSON.parse(sync.stdout) as { changes: string[] }).changes).toEqual(["#1 (claimed offline by away) is now claimed on 'origin'"]);
    expect(remoteRefs(bare, 'refs/hzl/')).toEqual(['refs/hzl/claims/1', 'refs/hzl/ids/1']);
  }, 60_000);

  it('--no-offline wins over HZL_OFFLINE=1', async () => {
    const { first, bare } = await team(0);
    const r = hzl(first, ['task', 'add', 'Online after all', '--no-offline'], { env: { HZL_AUTHOR: 'agent', HZL_OFFLINE: '1' } });
    expect(r.status, r.stderr).toBe(0);
    expect(remoteRefs(bare, 'refs/hzl/ids/')).toEqual(['refs/hzl/ids/1']);
  });

  it('reads do not reach the remote either: show works on a plane without a warning', async () => {
    const { first } = await team(0);
    hzl(first, ['task', 'add', 'Read me'], AT('2024-01-01T10:00:00Z'));
    git(first, 'remote', 'set-url', 'origin', `${tempDir()}/gone.git`);
    expect(hzl(first, ['task', 'show', '1']).stderr).toMatch(/warning: claims in other clones are not known/);
    const r = hzl(first, ['task', 'show', '1', '--offline']);
    expect([r.status, r.stderr]).toEqual([0, '']);
  });

  it('sync is how offline work goes online: sync --offline is a usage error', async () => {
    const { first } = await team(0);
    const r = hzl(first, ['sync', '--offline']);
    expect([r.status, r.stderr]).toEqual([2, "hzl: sync reaches the remote, and --offline forbids it: drop --offline\n"]);
  });

  it('is in help and completion', () => {
    expect(hzl(tempDir(), ['task', 'add', '--help']).stdout).toMatch(/--offline\s+with `remote` set:/);
    expect(hzl(tempDir(), ['__complete', 'bash', 'task', 'claim', '--off']).stdout.split('\n')).toContain('--offline');
  });
});
