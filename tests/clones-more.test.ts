// Across clones, what remained: the --offline flag, claims held in other clones in `list` and
// `stuck`, and offline references that follow a renumbering under each task's lock.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMPTY_TREE, recordText, writeCommitObject } from '../src/git/record-object.js';
import { cloneOf, commitAll, errors, letGo, remoteRefs, team, tick } from './clone-helpers.js';
import { HZL, baseEnv, git, hzl, readTask, taskFile, tempDir, tempRepo, runInProcess } from './helpers.js';

runInProcess();

const AT = (iso: string, author = 'agent') => ({ env: { HZL_NOW: iso, HZL_AUTHOR: author } });

/**
 * The state of a writer of task `id` in `repo` that took the task's lock and read the file (as
 * `task checkpoint` does), and the environment for an hzl that stops at each lock step.
 */
function writerHolding(repo: string, id: number) {
  const locks = join(stateDir(repo), 'locks');
  mkdirSync(locks, { recursive: true });
  const lock = join(locks, `task-${id}.lock`);
  writeFileSync(lock, `${process.pid}\n${hostname()}\ntest-writer\n\n`);
  const file = taskFile(repo, id);
  const read = readFileSync(file, 'utf8');
  const steps = tempDir();
  const env = {
    HZL_NOW: '2024-01-01T11:00:00Z',
    HZL_AUTHOR: 'agent',
    HZL_TEST_LOCK_STEPS: steps,
    HZL_LOCK_TIMEOUT_MS: '120000',
  };
  return { lock, file, read, steps, env };
}

describe('--offline', () => {
  it('writes locally while the remote is out of reach, and hzl sync reconciles it later', async () => {
    const { bare, clones } = await team(1);
    const away = clones[0]!;
    const url = git(away, 'remote', 'get-url', 'origin').trim();
    git(away, 'remote', 'set-url', 'origin', `${tempDir()}/gone.git`); // on a plane
    const online = hzl(away, ['task', 'add', 'Needs the remote'], AT('2024-01-01T10:00:00Z'));
    expect(online.status).toBe(6);

    const added = hzl(away, ['task', 'add', 'Written offline', '--offline'], AT('2024-01-01T10:00:00Z', 'away'));
    expect([added.status, added.stdout, errors(added.stderr)]).toEqual([
      0,
      '1\n',
      'Created task #1: Written offline (.hzl/tasks/1-written-offline.md)\n',
    ]);
    // A global option: before the command words too.
    const claimed = hzl(away, ['--offline', 'task', 'claim', '1'], AT('2024-01-01T10:01:00Z', 'away'));
    expect(claimed.status, claimed.stderr).toBe(0);
    expect(remoteRefs(bare, 'refs/hzl/')).toEqual([]);

    git(away, 'remote', 'set-url', 'origin', url); // landed
    const sync = hzl(away, ['sync', '--json'], AT('2024-01-01T11:00:00Z'));
    expect(sync.status, sync.stderr).toBe(0);
    expect((JSON.parse(sync.stdout) as { changes: string[] }).changes).toEqual([
      "#1 (claimed offline by away) is now claimed on 'origin'",
    ]);
    expect(remoteRefs(bare, 'refs/hzl/')).toEqual(['refs/hzl/claims/1', 'refs/hzl/ids/1']);
  }, 60_000);

  it('--no-offline wins over HZL_OFFLINE=1', async () => {
    const { first, bare } = await team(0);
    const r = hzl(first, ['task', 'add', 'Online after all', '--no-offline'], {
      env: { HZL_AUTHOR: 'agent', HZL_OFFLINE: '1' },
    });
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
    expect([r.status, r.stderr]).toEqual([
      2,
      'hzl: sync reaches the remote, and --offline forbids it: drop --offline\n',
    ]);
  });

  it('is in help and completion', () => {
    expect(hzl(tempDir(), ['task', 'add', '--help']).stdout).toMatch(/--offline\s+with `remote` set:/);
    expect(hzl(tempDir(), ['__complete', 'bash', 'task', 'claim', '--off']).stdout.split('\n')).toContain('--offline');
  });
});

/** A first clone with task #1 pushed, and a second clone where agent-3 claimed it (lease 30m, at 10:00). */
async function claimedInAnotherClone() {
  const { first, bare } = await team(0);
  expect(hzl(first, ['task', 'add', 'Shared work'], AT('2024-01-01T09:00:00Z')).status).toBe(0);
  commitAll(first, 'add #1');
  git(first, 'push', '-q', 'origin', 'main');
  const other = cloneOf(bare);
  const claim = hzl(other, ['task', 'claim', '1', '--lease', '30m'], AT('2024-01-01T10:00:00Z', 'agent-3'));
  expect(claim.status, claim.stderr).toBe(0);
  return { first, bare, other };
}

const stateDir = (repo: string) => join(repo, '.git', 'hzl');

describe('list knows claims held in other clones', () => {
  it('a task claimed in another clone shows as claimed by that holder, in the table and in --json', async () => {
    const { first, other } = await claimedInAnotherClone();
    const at = AT('2024-01-01T10:05:00Z');
    const r = hzl(first, ['task', 'list'], at);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '1\tin_progress\t0\tagent-3 (other clone)\tShared work\n', '']);
    const json = JSON.parse(hzl(first, ['task', 'list', '--json'], at).stdout) as {
      tasks: Array<Record<string, unknown>>;
    };
    expect(json.tasks[0]).toMatchObject({
      id: 1,
      status: 'in_progress',
      author: 'agent-3',
      lease_until: '2024-01-01T10:30:00Z',
      remote_claim: {
        id: 1,
        author: 'agent-3',
        clone: expect.stringContaining(other),
        lease_until: '2024-01-01T10:30:00Z',
        expired: false,
      },
    });
    // Filters see it too: not available here, and agent-3's.
    expect(hzl(first, ['task', 'list', '--available'], at).stdout).toBe('');
    expect(hzl(first, ['task', 'list', '--author', 'agent-3'], at).stdout).toMatch(/^1\t/);
    // In the clone that holds it, it is simply its own claim.
    expect(hzl(other, ['task', 'list'], at).stdout).toBe('1\tin_progress\t0\tagent-3\tShared work\n');
    // The file here is untouched.
    expect(readTask(first, 1)).toMatch(/^status: ready$/m);
  }, 60_000);

  it('no network while the cache is fresh; once it is stale, a remote out of reach is a warning', async () => {
    const { first, bare } = await claimedInAnotherClone();
    expect(hzl(first, ['task', 'list'], AT('2024-01-01T10:05:00Z')).status).toBe(0); // fetched and cached
    renameSync(bare, `${bare}.away`); // out of reach, at the same URL: the cache of that URL stays in use
    const fresh = hzl(first, ['task', 'list'], AT('2024-01-01T10:05:20Z'));
    expect([fresh.stdout, fresh.stderr]).toEqual(['1\tin_progress\t0\tagent-3 (other clone)\tShared work\n', '']);
    const stale = hzl(first, ['task', 'list'], AT('2024-01-01T10:05:40Z'));
    expect(stale.status).toBe(0);
    expect(stale.stdout).toBe('1\tin_progress\t0\tagent-3 (other clone)\tShared work\n'); // the last claims known
    expect(stale.stderr).toMatch(
      /^hzl: warning: claims in other clones are not known: cannot coordinate through the remote 'origin'/,
    );
  }, 60_000);

  it('a remote out of reach is tried once per remote_cache, not at every listing', async () => {
    const { first } = await claimedInAnotherClone();
    git(first, 'remote', 'set-url', 'origin', join(tempDir(), 'gone.git'));
    expect(networkCalls(first, ['task', 'list'], AT('2024-01-01T10:05:00Z'))).toEqual(['fetch']);
    const again = hzl(first, ['task', 'list'], {
      env: { ...AT('2024-01-01T10:05:10Z').env, GIT_TRACE: join(tempDir(), 't') },
    });
    expect(again.stderr).toMatch(
      /^hzl: warning: claims in other clones are not known: cannot coordinate through the remote 'origin'/,
    );
    expect(networkCalls(first, ['task', 'list'], AT('2024-01-01T10:05:20Z'))).toEqual([]);
    expect(networkCalls(first, ['task', 'list'], AT('2024-01-01T10:05:40Z'))).toEqual(['fetch']);
  }, 60_000);

  it('without a remote in the config, list reads no claims and keeps no claims cache', () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'Alone'], AT('2024-01-01T09:00:00Z'));
    expect(hzl(repo, ['task', 'list', '--json']).stdout).not.toContain('remote_claim');
    expect(hzl(repo, ['task', 'stuck']).status).toBe(0);
    expect(existsSync(join(stateDir(repo), 'remote-claims.json'))).toBe(false);
  });
});

describe('stuck knows claims held in other clones', () => {
  it('reports an expired lease held in another clone, and not a live one', async () => {
    const { first } = await claimedInAnotherClone();
    const live = hzl(first, ['task', 'stuck', '--older-than', '5m'], AT('2024-01-01T10:20:00Z'));
    expect([live.status, live.stdout]).toEqual([0, '']);
    const r = hzl(first, ['task', 'stuck'], AT('2024-01-01T11:00:00Z'));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^1\tagent-3 \(other clone\)\tlease expired \(.*10:30.*\)\tShared work\n$/);
    const json = JSON.parse(hzl(first, ['task', 'stuck', '--json'], AT('2024-01-01T11:00:00Z')).stdout) as {
      tasks: Array<Record<string, unknown>>;
    };
    expect(json.tasks[0]).toMatchObject({
      id: 1,
      author: 'agent-3',
      stuck: { reason: 'lease expired', since: '2024-01-01T10:30:00Z' },
      remote_claim: { expired: true },
    });
  }, 60_000);
});

/** Runs `pid` through its lock steps until it waits for a lock someone else holds, or exits. */
async function runUntilWaiting(folder: string, pid: number, exited: () => boolean): Promise<'waiting' | 'exited'> {
  for (;;) {
    if (letGo(folder, pid).some((f) => f.endsWith('.waiting'))) return 'waiting';
    if (exited()) return 'exited';
    await tick();
  }
}

describe('offline references follow a renumbering under each task lock', () => {
  it('a checkpoint written while sync rewrites a reference is not lost, nor is the reference', async () => {
    const { first, clones } = await team(1);
    const away = clones[0]!;
    const offline = { env: { HZL_NOW: '2024-01-01T10:00:00Z', HZL_AUTHOR: 'away', HZL_OFFLINE: '1' } };
    hzl(away, ['task', 'add', 'Alpha'], offline);
    expect(hzl(away, ['task', 'add', 'Beta', '--depends-on', '1'], offline).stdout).toBe('2\n');
    hzl(first, ['task', 'add', 'Online'], AT('2024-01-01T10:05:00Z'));

    // A writer of #2 holds its lock (as `task checkpoint` does): it has read the file and is about to write.
    const { lock, file, read, steps, env } = writerHolding(away, 2);
    const child = spawn(process.execPath, [HZL, 'sync', '--json'], {
      cwd: away,
      env: baseEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const exit = new Promise<number | null>((done) => child.on('close', done));
    let gone = false;
    void exit.then(() => (gone = true));
    const state = await runUntilWaiting(steps, child.pid!, () => gone);

    // The writer finishes: its checkpoint, then the lock goes.
    writeFileSync(file, `${read.trimEnd()}\n- [2024-01-01T10:59:00Z] away: written meanwhile\n`);
    rmSync(lock);
    void (async () => {
      while (!gone) {
        letGo(steps, child.pid!);
        await tick();
      }
    })();
    expect([await exit, err]).toEqual([0, expect.any(String)]);
    expect((JSON.parse(out) as { changes: string[] }).changes).toContain(
      '#2 (added offline) now names #3 where it named #1',
    );
    const beta = readTask(away, 2);
    expect(beta).toContain('away: written meanwhile');
    expect(beta).toMatch(/^depends_on: \[3\]$/m);
    expect(state).toBe('waiting'); // sync waited for the writer's lock
  }, 120_000);
});

describe('record commits written without running git', () => {
  it('are the very objects git commit-tree writes, and git reads them', () => {
    const repo = tempRepo();
    const commonDir = join(repo, '.git');
    const text = recordText('hzl claim #1\n\nauthor: agent-3\nlease_until: \n', 'hzl <hzl@localhost>', 1_700_000_000);
    const oid = writeCommitObject(commonDir, text, {});
    const env = {
      GIT_AUTHOR_NAME: 'hzl',
      GIT_AUTHOR_EMAIL: 'hzl@localhost',
      GIT_COMMITTER_NAME: 'hzl',
      GIT_COMMITTER_EMAIL: 'hzl@localhost',
    };
    const dates = { GIT_AUTHOR_DATE: '@1700000000 +0000', GIT_COMMITTER_DATE: '@1700000000 +0000' };
    const byGit = spawnSync(
      'git',
      ['commit-tree', EMPTY_TREE, '-m', 'hzl claim #1', '-m', 'author: agent-3\nlease_until: '],
      {
        cwd: repo,
        env: baseEnv({ ...env, ...dates }),
        encoding: 'utf8',
      },
    );
    expect(oid).toBe(byGit.stdout.trim());
    expect(git(repo, 'cat-file', '-t', oid!)).toBe('commit\n');
    expect(spawnSync('git', ['fsck', '--strict', '--no-dangling'], { cwd: repo, env: baseEnv() }).status).toBe(0);
  });

  it('a store of SHA-256 objects, or one the environment moves, is left to git', () => {
    const repo = tempDir();
    git(repo, 'init', '-q', '--object-format=sha256');
    expect(writeCommitObject(join(repo, '.git'), recordText('x\n', 'hzl <hzl@localhost>', 1), {})).toBeUndefined();
    const plain = tempRepo();
    expect(
      writeCommitObject(join(plain, '.git'), recordText('x\n', 'hzl <hzl@localhost>', 1), {
        GIT_OBJECT_DIRECTORY: '/elsewhere',
      }),
    ).toBeUndefined();
  });

  it('a remote claim pushes such a record, readable on the remote', async () => {
    const { first, bare } = await team(0);
    hzl(first, ['task', 'add', 'Take me'], AT('2024-01-01T09:00:00Z'));
    expect(hzl(first, ['task', 'claim', '1'], AT('2024-01-01T10:00:00Z', 'agent-3')).status).toBe(0);
    const record = git(bare, 'cat-file', '-p', 'refs/hzl/claims/1');
    expect(record).toMatch(/^tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor hzl <hzl@localhost> \d+ \+0000\n/);
    expect(record).toMatch(/^author: agent-3$/m);
    expect(record).toMatch(/^lease_until: 2024-01-01T12:00:00Z$/m);
    expect(spawnSync('git', ['fsck', '--strict', '--no-dangling'], { cwd: bare, env: baseEnv() }).status).toBe(0);
  });
});

/** The git network commands one hzl run started (GIT_TRACE), as `push` and `fetch` words. */
function networkCalls(repo: string, args: string[], at: { env: NodeJS.ProcessEnv }): string[] {
  const trace = join(tempDir(), 'trace');
  const r = hzl(repo, args, { env: { ...at.env, GIT_TRACE: trace } });
  expect(r.status, r.stderr).toBe(0);
  const lines = existsSync(trace) ? readFileSync(trace, 'utf8').split('\n') : [];
  return lines.flatMap((l) => /trace: built-in: git (push|fetch|ls-remote) /.exec(l)?.[1] ?? []);
}

describe('one round trip for our own claim', () => {
  it('a renewal past half the lease and a complete each push once, without a fetch', async () => {
    const { first, bare } = await team(0);
    hzl(first, ['task', 'add', 'Mine'], AT('2024-01-01T09:00:00Z'));
    expect(networkCalls(first, ['task', 'claim', '1', '--lease', '1h'], AT('2024-01-01T10:00:00Z'))).toEqual(['push']);
    // Renewed lazily: early in the lease nothing is pushed; past half of it, one swap of our own record.
    expect(networkCalls(first, ['task', 'claim', '1', '--lease', '1h'], AT('2024-01-01T10:10:00Z'))).toEqual([]);
    expect(networkCalls(first, ['task', 'checkpoint', '1', 'late in the lease'], AT('2024-01-01T10:50:00Z'))).toEqual([
      'push',
    ]);
    expect(git(bare, 'cat-file', '-p', 'refs/hzl/claims/1')).toMatch(/^lease_until: 2024-01-01T11:50:00Z$/m);
    expect(networkCalls(first, ['task', 'complete', '1'], AT('2024-01-01T11:00:00Z'))).toEqual(['push']);
    expect(remoteRefs(bare, 'refs/hzl/claims/')).toEqual([]);
  }, 60_000);

  it('a claim taken over in another clone meanwhile is not dropped by its old holder', async () => {
    const { first, bare } = await team(0);
    hzl(first, ['task', 'add', 'Contested'], AT('2024-01-01T09:00:00Z'));
    expect(hzl(first, ['task', 'claim', '1'], AT('2024-01-01T10:00:00Z')).status).toBe(0);
    commitAll(first, 'claim #1');
    git(first, 'push', '-q', 'origin', 'main');
    const other = cloneOf(bare);
    expect(hzl(other, ['task', 'steal', '1', '--force'], AT('2024-01-01T10:05:00Z', 'agent-3')).status).toBe(0);
    // The record `first` remembers is gone: its release looks at the remote, and leaves agent-3's claim.
    expect(networkCalls(first, ['task', 'release', '1'], AT('2024-01-01T10:10:00Z'))).toEqual(['push', 'fetch']);
    expect(git(bare, 'cat-file', '-p', 'refs/hzl/claims/1')).toMatch(/^author: agent-3$/m);
  }, 60_000);
});

describe('an offline task renumbered by sync, under its lock', () => {
  it('a checkpoint written to it meanwhile moves with it, and the old number does not come back', async () => {
    const { first, clones } = await team(1);
    const away = clones[0]!;
    const offline = { env: { HZL_NOW: '2024-01-01T10:00:00Z', HZL_AUTHOR: 'away', HZL_OFFLINE: '1' } };
    hzl(away, ['task', 'add', 'Alpha'], offline);
    hzl(first, ['task', 'add', 'Online'], AT('2024-01-01T10:05:00Z'));

    // A writer of #1 holds its lock: it has read the file and is about to write it back.
    const { lock, file, read, steps, env } = writerHolding(away, 1);
    const child = spawn(process.execPath, [HZL, 'sync'], {
      cwd: away,
      env: baseEnv(env),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const exit = new Promise<number | null>((done) => child.on('close', done));
    let gone = false;
    void exit.then(() => (gone = true));
    const state = await runUntilWaiting(steps, child.pid!, () => gone);

    writeFileSync(file, `${read.trimEnd()}\n- [2024-01-01T10:59:00Z] away: written meanwhile\n`);
    rmSync(lock);
    void (async () => {
      while (!gone) {
        letGo(steps, child.pid!);
        await tick();
      }
    })();
    expect([await exit, err]).toEqual([0, expect.any(String)]);
    expect(readdirSync(join(away, '.hzl', 'tasks')).filter((f) => f.endsWith('.md'))).toEqual(['2-alpha.md']);
    expect(readTask(away, 2)).toContain('away: written meanwhile');
    expect(state).toBe('waiting'); // sync waited for the writer's lock
  }, 120_000);
});
