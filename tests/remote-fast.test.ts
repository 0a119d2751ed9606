// A remote claim pushes its record while the task's file is read: what that may never change. A
// claim refused here, after the remote took it, leaves no claim on the remote; one refused by the
// remote leaves the file as it was; and the record says what the file says.

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../src/core/errors.js';
import { sha1Hex, zlibStored } from '../src/git/loose-object.js';
import { openProject } from '../src/store/project.js';
import type { Task } from '../src/core/task.js';
import { type StoredTask, TaskStore } from '../src/store/task-store.js';
import { commitAll, errors, remoteRefs, team } from './clone-helpers.js';
import { HZL, baseEnv, git, hzl, readTask, runInProcess, snapshot, tempDir, tempRepo } from './helpers.js';

runInProcess();

const AT = (iso: string, author = 'agent') => ({ env: { HZL_NOW: iso, HZL_AUTHOR: author } });

/** The body of the remote's claim record for task `id`: its `key: value` lines. */
function claimRecord(bare: string, id: number): Record<string, string> {
  const body = git(bare, 'log', '-1', '--format=%b', `refs/hzl/claims/${id}`);
  return Object.fromEntries(
    body
      .split('\n')
      .map((line) => /^([a-z_]+): (.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!, m[2]!]),
  );
}

describe('a remote claim pushed while the file is read', () => {
  it('refused here (an unfinished dependency) after the remote took it: no claim stays on the remote', async () => {
    const { first, bare } = await team(0);
    hzl(first, ['task', 'add', 'First'], AT('2024-01-01T10:00:00Z'));
    hzl(first, ['task', 'add', 'Waits', '--depends-on', '1'], AT('2024-01-01T10:00:00Z'));
    const before = snapshot(first);
    const r = hzl(first, ['task', 'claim', '2', '--author', 'alice'], AT('2024-01-01T11:00:00Z'));
    expect([r.status, errors(r.stderr)]).toEqual([
      4,
      'hzl: cannot claim task #2: it depends on unfinished #1 (ready); finish those first or pass --force\n',
    ]);
    expect(snapshot(first)).toEqual(before);
    expect(remoteRefs(bare, 'refs/hzl/claims/')).toEqual([]);
    // The task is free on the remote: the claim goes through once it is allowed.
    const forced = hzl(first, ['task', 'claim', '2', '--author', 'alice', '--force'], AT('2024-01-01T11:01:00Z'));
    expect(forced.status, forced.stderr).toBe(0);
    expect(remoteRefs(bare, 'refs/hzl/claims/')).toEqual(['refs/hzl/claims/2']);
  }, 60_000);

  it('refused here (a task that is done, or missing): no claim stays on the remote', async () => {
    const { first, bare } = await team(0);
    hzl(first, ['task', 'add', 'Finished'], AT('2024-01-01T10:00:00Z'));
    expect(hzl(first, ['task', 'complete', '1'], AT('2024-01-01T10:01:00Z')).status).toBe(0);
    const done = hzl(first, ['task', 'claim', '1', '--author', 'alice'], AT('2024-01-01T11:00:00Z'));
    expect(done.status).toBe(4);
    expect(errors(done.stderr)).toMatch(/^hzl: .*#1.*reopen 1/);
    const missing = hzl(first, ['task', 'claim', '9', '--author', 'alice'], AT('2024-01-01T11:00:00Z'));
    expect(missing.status).toBe(3);
    expect(remoteRefs(bare, 'refs/hzl/claims/')).toEqual([]);
  }, 60_000);

  it('refused here (the task lock does not come free, exit 4): no claim stays on the remote', async () => {
    const { first, bare } = await team(0);
    hzl(first, ['task', 'add', 'Locked'], AT('2024-01-01T10:00:00Z'));
    const locks = join(first, '.git', 'hzl', 'locks');
    mkdirSync(locks, { recursive: true });
    // Held by a live process on this host (this test): not stale, so never broken.
    writeFileSync(join(locks, 'task-1.lock'), `${process.pid}\n${hostname()}\n1700000000000-live\n`);
    const before = snapshot(first);
    const r = hzl(first, ['task', 'claim', '1', '--author', 'alice'], {
      env: { ...AT('2024-01-01T11:00:00Z').env, HZL_LOCK_TIMEOUT_MS: '300' },
    });
    expect(r.status, r.stderr).toBe(4);
    expect(snapshot(first)).toEqual(before);
    expect(remoteRefs(bare, 'refs/hzl/claims/')).toEqual([]);
  }, 60_000);

  it('refused by the remote (held in another clone): exit 4 naming the holder, the file untouched', async () => {
    const { first, bare, clones } = await team(1);
    hzl(first, ['task', 'add', 'Wanted'], AT('2024-01-01T10:00:00Z'));
    commitAll(first, 'task');
    git(first, 'push', '-q', 'origin', 'main');
    const other = clones[0]!;
    git(other, 'pull', '-q', 'origin', 'main');
    expect(hzl(first, ['task', 'claim', '1', '--author', 'alice'], AT('2024-01-01T11:00:00Z')).status).toBe(0);
    const held = claimRecord(bare, 1);
    const before = snapshot(other);
    const r = hzl(other, ['task', 'claim', '1', '--author', 'bob'], AT('2024-01-01T11:05:00Z'));
    expect(r.status).toBe(4);
    expect(errors(r.stderr)).toMatch(/^hzl: task #1 is claimed by alice in .*: pick another task/);
    expect(snapshot(other)).toEqual(before);
    expect(claimRecord(bare, 1)).toEqual(held);
  }, 60_000);

  it("the remote's record holds the file's holder, time and lease", async () => {
    const { first, bare } = await team(0);
    hzl(first, ['task', 'add', 'Timed'], AT('2024-01-01T10:00:00Z'));
    const r = hzl(first, ['task', 'claim', '1', '--author', 'alice', '--lease', '2h'], AT('2024-01-01T11:00:00Z'));
    expect(r.status, r.stderr).toBe(0);
    const leaseInFile = /^lease_until: '?([^'\n]+)'?$/m.exec(readTask(first, 1))?.[1];
    const record = claimRecord(bare, 1);
    expect(record.author).toBe('alice');
    expect(Date.parse(record.lease_until!)).toBe(Date.parse(leaseInFile!));
    expect(Date.parse(record.since!)).toBe(Date.parse('2024-01-01T11:00:00Z'));
    expect(Date.parse(record.lease_until!)).toBe(Date.parse('2024-01-01T13:00:00Z'));
  }, 60_000);
});

/** The git commands hzl ran itself (GIT_TRACE names the remote's side too: left out). */
function gitRuns(trace: string): string[] {
  return readFileSync(trace, 'utf8')
    .split('\n')
    .map((line) => / trace: built-in: git (\S+)/.exec(line)?.[1])
    .filter((cmd): cmd is string => cmd !== undefined && !REMOTE_SIDE.has(cmd));
}
const REMOTE_SIDE = new Set(['receive-pack', 'pack-objects', 'unpack-objects', 'rev-list', 'for-each-ref', 'gc']);

describe('how many git processes a remote claim runs', () => {
  it('a fresh claim is one push, also when this clone remembers a claim the remote has dropped', async () => {
    const { first, bare } = await team(0);
    hzl(first, ['task', 'add', 'Again'], AT('2024-01-01T10:00:00Z'));
    commitAll(first, 'task');
    const trace = join(tempDir(), 'trace');
    const traced = (iso: string) => ({ env: { ...AT(iso).env, GIT_TRACE: trace } });
    const claim = hzl(first, ['task', 'claim', '1', '--author', 'alice'], traced('2024-01-01T11:00:00Z'));
    expect(claim.status, claim.stderr).toBe(0);
    expect(gitRuns(trace)).toEqual(['push']);
    // The claim is gone on the remote and the file is back as it was (a checkout), while this
    // clone still remembers pushing it.
    git(bare, 'update-ref', '-d', 'refs/hzl/claims/1');
    git(first, 'checkout', '-q', '--', '.hzl/tasks');
    rmSync(trace);
    const again = hzl(first, ['task', 'claim', '1', '--author', 'alice'], traced('2024-01-01T12:00:00Z'));
    expect(again.status, again.stderr).toBe(0);
    expect(gitRuns(trace)).toEqual(['push']);
    expect(remoteRefs(bare, 'refs/hzl/claims/')).toEqual(['refs/hzl/claims/1']);
  }, 60_000);
});

describe('a remote add reserving its id while history is read', () => {
  it('refused here after the remote took the id (nobody named as actor): no id stays reserved', async () => {
    const { first, bare } = await team(0);
    git(first, 'config', '--unset', 'user.name');
    const before = snapshot(first);
    const r = hzl(first, ['task', 'add', 'By nobody'], { env: { HZL_NOW: '2024-01-01T10:00:00Z' } });
    expect(r.status).toBe(2);
    expect(errors(r.stderr)).toMatch(/^hzl: who is acting\?/);
    expect(snapshot(first)).toEqual(before);
    expect(remoteRefs(bare, 'refs/hzl/ids/')).toEqual([]);
  }, 60_000);

  it('a higher id on a branch not seen before: the early reservation is taken back, the next id above it taken', async () => {
    const { first, bare } = await team(0);
    expect(hzl(first, ['task', 'add', 'One'], AT('2024-01-01T10:00:00Z')).stdout).toBe('1\n');
    commitAll(first, 'one');
    git(first, 'checkout', '-q', '-b', 'side');
    writeFileSync(join(first, '.hzl', 'tasks', '5-side.md'), readTask(first, 1).replace(/^id: 1$/m, 'id: 5'));
    commitAll(first, 'task 5 on a side branch');
    git(first, 'checkout', '-q', 'main');
    const trace = join(tempDir(), 'trace');
    const r = hzl(first, ['task', 'add', 'Two'], { env: { ...AT('2024-01-01T11:00:00Z').env, GIT_TRACE: trace } });
    expect([r.status, r.stdout], r.stderr).toEqual([0, '6\n']);
    expect(remoteRefs(bare, 'refs/hzl/ids/').sort()).toEqual(['refs/hzl/ids/1', 'refs/hzl/ids/6']);
    // The common case, the id guessed right, is one push: here, guessed 2, taken back, then 6.
    expect(gitRuns(trace).filter((cmd) => cmd === 'push')).toHaveLength(3);
    rmSync(trace);
    const three = hzl(first, ['task', 'add', 'Three'], {
      env: { ...AT('2024-01-01T12:00:00Z').env, GIT_TRACE: trace },
    });
    expect(three.stdout).toBe('7\n');
    expect(gitRuns(trace).filter((cmd) => cmd === 'push')).toHaveLength(1);
  }, 60_000);
});

describe('a remote add rendering its file while the remote answers', () => {
  it('the id pushed early went to another clone: the file is made for the id it got', async () => {
    const { first, bare, clones } = await team(1);
    const other = clones[0]!;
    // The other clone takes #1 on the remote; this clone has not seen it, and guesses #1 too.
    expect(hzl(other, ['task', 'add', 'Theirs'], AT('2024-01-01T10:00:00Z', 'bob')).stdout).toBe('1\n');
    const r = hzl(first, ['task', 'add', 'Ours', '-d', 'rendered early'], AT('2024-01-01T10:01:00Z', 'alice'));
    expect([r.status, r.stdout, errors(r.stderr)]).toEqual([
      0,
      '2\n',
      'Created task #2: Ours (.hzl/tasks/2-ours.md)\n',
    ]);
    expect(readdirSync(join(first, '.hzl', 'tasks')).filter((f) => f.endsWith('.md'))).toEqual(['2-ours.md']);
    const text = readTask(first, 2);
    expect(text).toMatch(/^id: 2$/m);
    expect(text).toMatch(/alice: created \(ready\)/);
    expect(remoteRefs(bare, 'refs/hzl/ids/').sort()).toEqual(['refs/hzl/ids/1', 'refs/hzl/ids/2']);
    // Guessed right, the file rendered early is the one written.
    expect(hzl(first, ['task', 'add', 'Next'], AT('2024-01-01T10:02:00Z', 'alice')).stdout).toBe('3\n');
    expect(readTask(first, 3)).toMatch(/^title: Next$/m);
  }, 60_000);
});

describe('ids seen in history, read with one git process', () => {
  it('an id added and deleted on a detached HEAD still counts: the next add takes the one above', () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'On main'], AT('2024-01-01T10:00:00Z'));
    commitAll(repo, 'one task');
    git(repo, 'checkout', '-q', '--detach');
    writeFileSync(join(repo, '.hzl', 'tasks', '7-elsewhere.md'), readTask(repo, 1).replace(/^id: 1$/m, 'id: 7'));
    commitAll(repo, 'task 7, on no branch');
    git(repo, 'rm', '-q', join('.hzl', 'tasks', '7-elsewhere.md'));
    commitAll(repo, 'task 7 gone');
    const r = hzl(repo, ['task', 'add', 'Next'], AT('2024-01-01T11:00:00Z'));
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '8\n', 'Created task #8: Next (.hzl/tasks/8-next.md)\n']);
  });
});

describe('loose objects written without node:crypto and node:zlib', () => {
  // Around the block boundaries of SHA-1 (55/56/64 bytes) and of stored deflate blocks (65,535).
  const SIZES = [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000, 65_535, 65_536, 140_000];

  it('names each object as git does, and git reads it back whole', () => {
    const repo = tempRepo();
    for (const size of SIZES) {
      const content = randomBytes(size);
      const object = Buffer.concat([Buffer.from(`blob ${size}\0`), content]);
      const byGit = spawnSync('git', ['hash-object', '--stdin'], { cwd: repo, env: baseEnv(), input: content });
      const oid = sha1Hex(object);
      expect({ size, oid }).toEqual({ size, oid: byGit.stdout.toString().trim() });
      const stored = zlibStored(object);
      expect(inflateSync(stored).equals(object)).toBe(true);
      mkdirSync(join(repo, '.git', 'objects', oid.slice(0, 2)), { recursive: true });
      writeFileSync(join(repo, '.git', 'objects', oid.slice(0, 2), oid.slice(2)), stored);
      const shown = spawnSync('git', ['cat-file', 'blob', oid], { cwd: repo, env: baseEnv() });
      expect({ size, same: shown.stdout.equals(content) }).toEqual({ size, same: true });
    }
    const fsck = spawnSync('git', ['fsck', '--strict', '--no-dangling'], {
      cwd: repo,
      env: baseEnv(),
      encoding: 'utf8',
    });
    expect(fsck.status, fsck.stderr).toBe(0);
  });
});

/** What a call of the built CLI loaded: Node's own modules ('node:zlib', …) and files, traced by a preload. */
function loaded(repo: string, args: string[], env: NodeJS.ProcessEnv = {}): { builtins: string[]; files: string[] } {
  const dir = tempDir();
  const preload = join(dir, 'preload.cjs');
  const trace = join(dir, 'trace.txt');
  writeFileSync(
    preload,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(trace)}, JSON.stringify({ ` +
      "builtins: process.moduleLoadList.filter((m) => m.startsWith('NativeModule '))" +
      ".map((m) => 'node:' + m.slice(13)), " +
      'files: Object.keys(require.cache) })));',
  );
  const r = spawnSync(process.execPath, ['--require', preload, HZL, ...args], {
    cwd: repo,
    env: baseEnv(env),
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(readFileSync(trace, 'utf8'));
}

describe('what a remote claim or add loads', () => {
  it('no command loads node:zlib: a record is written without it', async () => {
    const { first, bare } = await team(0);
    hzl(first, ['task', 'add', 'Loaded'], AT('2024-01-01T10:00:00Z'));
    for (const args of [
      ['task', 'show', '1'],
      ['task', 'list'],
      ['task', 'claim', '1', '--author', 'alice'],
    ]) {
      const zlib = loaded(first, args).builtins.includes('node:zlib');
      expect({ args, zlib }).toEqual({ args, zlib: false });
    }
    expect(remoteRefs(bare, 'refs/hzl/claims/')).toEqual(['refs/hzl/claims/1']);
    expect(git(bare, 'cat-file', '-t', 'refs/hzl/claims/1')).toBe('commit\n');
    // The record's object is in place, and no temp file of it is left beside it.
    const objects = join(first, '.git', 'objects');
    const left = readdirSync(objects, { recursive: true }).filter((f) => String(f).includes('tmp_obj_hzl_'));
    expect(left).toEqual([]);
  }, 60_000);

  it('the actor from git config user.name: no simple-git, one plain git process before the push', async () => {
    const { first, bare } = await team(0);
    hzl(first, ['task', 'add', 'By git'], AT('2024-01-01T10:00:00Z'));
    const env = { HZL_NOW: '2024-01-01T11:00:00Z' }; // no --author, no HZL_AUTHOR, no author in config
    for (const args of [
      ['task', 'claim', '1'],
      ['task', 'add', 'Also by git'],
    ]) {
      const packages = loaded(first, args, env).files.filter((f) => f.includes('node_modules'));
      expect({ args, packages }).toEqual({ args, packages: [] });
    }
    expect(claimRecord(bare, 1).author).toBe('Test User');
    expect(readTask(first, 2)).toMatch(/Test User: created/);
  }, 60_000);
});

describe('a write that renders first and asks the remote after (TaskStore.update beforeWrite)', () => {
  it('a refusal there writes nothing and frees the lock; the step sees the text to be written', async () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'Guarded'], AT('2024-01-01T10:00:00Z'));
    const store = new TaskStore(openProject(repo), {});
    const before = snapshot(repo);
    const retitled = (current: StoredTask): Task => ({ ...current.doc.task, title: 'Renamed' });
    const refused = store.update(1, retitled, () => {
      throw new ConflictError('claimed elsewhere');
    });
    await expect(refused).rejects.toThrow('claimed elsewhere');
    expect(snapshot(repo)).toEqual(before);
    // The lock is free again, and a step that lets the write through gets the new task.
    let seen = '';
    const done = await store.update(1, retitled, async (_current, task) => {
      seen = task.title;
    });
    expect([done.changed, seen]).toEqual([true, 'Renamed']);
    expect(readTask(repo, 1)).toMatch(/^title: Renamed$/m);
  });
});
