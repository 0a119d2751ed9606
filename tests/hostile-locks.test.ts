// Attacks on locks, atomic writes and commit mode: killed writers, reused pids, racing lock
// breakers, signals, commits under concurrency, writes during a rebase. Every process is real.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  HZL,
  type Run,
  baseEnv,
  git,
  hzl,
  hzlAsync,
  readTask,
  snapshot,
  taskFile,
  tempDir,
  tempRepo,
} from './helpers.js';

const hasUnshare = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true']).status === 0;

function lockDir(repo: string): string {
  return join(resolve(repo, git(repo, 'rev-parse', '--git-common-dir').trim()), 'hzl', 'locks');
}

/** A repository with task #1. */
function oneTask(): string {
  const repo = tempRepo();
  expect(hzl(repo, ['task', 'add', 'Implement user authentication'], { env: { HZL_AUTHOR: 'alice' } }).status).toBe(0);
  return repo;
}

function checkpoints(repo: string): string[] {
  return readTask(repo, 1)
    .split('\n')
    .filter((l) => /^- \[[^\]]+\] [^:]+: /.test(l) && !/ (added|claimed|created)/.test(l));
}

/** Runs hzl as pid 1 of a new pid namespace: what every run in a fresh container looks like. */
function hzlAsPidOne(repo: string, args: string[]) {
  const r = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, HZL, ...args], {
    cwd: repo,
    env: baseEnv({ HZL_AUTHOR: 'claude-code' }),
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('temp files', () => {
  it.skipIf(!hasUnshare)(
    'a temp file left by a killed write of a process with the same pid does not block writes',
    () => {
      const repo = oneTask();
      const file = taskFile(repo, 1);
      const base = file.split('/').pop()!;
      // What a writer killed as pid 1 of an earlier container leaves behind.
      for (let n = 1; n <= 5; n++) writeFileSync(join(repo, '.hzl', 'tasks', `.${base}.1.${n}.tmp`), 'half a file');
      for (const text of ['First in the new container', 'Second in another one']) {
        const r = hzlAsPidOne(repo, ['task', 'checkpoint', '1', text]);
        expect({ status: r.status, stderr: r.stderr }).toEqual({
          status: 0,
          stderr: expect.stringMatching(/^Checkpoint added to #1/),
        });
      }
      expect(checkpoints(repo)).toEqual([
        expect.stringMatching(/claude-code: First in the new container$/),
        expect.stringMatching(/claude-code: Second in another one$/),
      ]);
    },
  );

  it('doctor reports orphan temp files; --fix removes them and nothing else', () => {
    const repo = oneTask();
    const tasks = join(repo, '.hzl', 'tasks');
    const base = taskFile(repo, 1).split('/').pop()!;
    const orphan = join(tasks, `.${base}.4242.7.tmp`);
    writeFileSync(orphan, 'half a file');
    const old = new Date(Date.now() - 10 * 60_000);
    utimesSync(orphan, old, old);
    const before = snapshot(repo);

    const r = hzl(repo, ['doctor']);
    expect(r.status).toBe(5);
    expect(r.stdout).toContain(`problem: .hzl/tasks/.${base}.4242.7.tmp: a temp file left by an interrupted write`);
    expect(existsSync(orphan)).toBe(true);
    expect(snapshot(repo)).toEqual(before);

    const fixed = hzl(repo, ['doctor', '--fix']);
    expect({ status: fixed.status, stdout: fixed.stdout }).toEqual({
      status: 0,
      stdout: expect.stringContaining('fixed: .hzl/tasks/'),
    });
    expect(existsSync(orphan)).toBe(false);
    const { [`.${base}.4242.7.tmp`]: _gone, ...rest } = before;
    expect(snapshot(repo)).toEqual(rest);
    expect(hzl(repo, ['doctor']).status).toBe(0);
  });

  it('doctor leaves a fresh temp file alone: it may belong to a write in progress', () => {
    const repo = oneTask();
    const base = taskFile(repo, 1).split('/').pop()!;
    const fresh = join(repo, '.hzl', 'tasks', `.${base}.4242.8.tmp`);
    writeFileSync(fresh, 'being written');
    const r = hzl(repo, ['doctor', '--fix']);
    expect(r.status).toBe(0);
    expect(existsSync(fresh)).toBe(true);
  });
});

/** Resolves once `check` holds, looking every few milliseconds (an event, not a fixed sleep). */
async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('commit mode', () => {
  it('a commit lock that does not come free: the write is kept, exit 0 with a warning, a retry is not needed', () => {
    const repo = oneTask();
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'tasks');
    mkdirSync(lockDir(repo), { recursive: true });
    // Held by a live process on this host (this test): not stale, so never broken.
    writeFileSync(join(lockDir(repo), 'commit.lock'), `${process.pid}\n${hostname()}\n1700000000000-live\n`);
    const r = hzl(repo, ['task', 'checkpoint', '1', 'Designed schema', '--commit'], {
      env: { HZL_AUTHOR: 'claude-code', HZL_LOCK_TIMEOUT_MS: '300' },
    });
    expect(r.status).toBe(0);
    expect(r.stderr.split('\n')).toEqual([
      'hzl: warning: not committed: another hzl command held the commit lock too long; ' +
        'the task file is written (do not run the command again): commit it with git',
      'Checkpoint added to #1 (1 in all)',
      '',
    ]);
    expect(checkpoints(repo)).toEqual([expect.stringMatching(/claude-code: Designed schema$/)]);
    expect(git(repo, 'log', '--format=%s')).toBe('tasks\ninitial\n');
  });

  it("two writers whose changes go into one commit: each reports its own commit or none, never the other's", {
    timeout: 120_000,
  }, async () => {
    const repo = oneTask();
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'tasks');
    const locks = lockDir(repo);
    mkdirSync(locks, { recursive: true });
    // Hold the commit lock until both have written: then the first commit takes both changes.
    const commitLock = join(locks, 'commit.lock');
    writeFileSync(commitLock, `${process.pid}\n${hostname()}\n1700000000000-live\n`);
    const env = { HZL_AUTHOR: 'claude-code', HZL_LOCK_TIMEOUT_MS: '60000' };
    const runs = ['Wired the store', 'Wrote the tests'].map((text) =>
      hzlAsync(repo, ['task', 'checkpoint', '1', text, '--commit', '--json'], { env }),
    );
    await until(() => checkpoints(repo).length === 2, 'both checkpoints in the file');
    rmSync(commitLock);
    const results = await Promise.all(runs);
    const commits = results.map((r) => {
      expect(r.status).toBe(0);
      return JSON.parse(r.stdout).commit as { hash: string; subject: string } | null;
    });
    const log = git(repo, 'log', '--format=%H %s').trim().split('\n');
    expect(log).toHaveLength(3); // initial, tasks, and one commit that took both changes
    const made = commits.filter((c) => c !== null);
    expect(made).toHaveLength(1);
    expect(log[0]).toBe(`${made[0]!.hash} ${made[0]!.subject}`);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });
});

describe('writes during a rebase', () => {
  /** A repository with task #1 committed, stopped in the middle of an interactive rebase. */
  function midRebase(): string {
    const repo = oneTask();
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'tasks');
    writeFileSync(join(repo, 'notes.txt'), 'x\n');
    git(repo, 'add', 'notes.txt');
    git(repo, 'commit', '-q', '-m', 'notes');
    git(repo, '-c', 'sequence.editor=sed -i 1s/^pick/edit/', 'rebase', '-q', '-i', 'HEAD~1');
    expect(existsSync(join(repo, '.git', 'rebase-merge'))).toBe(true);
    return repo;
  }

  it('are refused with exit 4 and one line saying what to do; nothing is written', () => {
    const repo = midRebase();
    const before = snapshot(repo);
    for (const args of [
      ['task', 'checkpoint', '1', 'Written mid-rebase'],
      ['task', 'claim', '1'],
      ['task', 'add', 'Another task'],
    ]) {
      const r = hzl(repo, args, { env: { HZL_AUTHOR: 'claude-code' } });
      expect({ status: r.status, stderr: r.stderr }).toEqual({
        status: 4,
        stderr:
          "hzl: a rebase is in progress, and 'git rebase --abort' would undo this write; " +
          "finish the rebase ('git rebase --continue') or abort it first, " +
          'or set HZL_WRITE_DURING_REBASE=1 to write anyway\n',
      });
    }
    expect(snapshot(repo)).toEqual(before);
    // Reads still work.
    expect(hzl(repo, ['task', 'show', '1']).status).toBe(0);
  });

  it('HZL_WRITE_DURING_REBASE=1 writes anyway (not committed); after the rebase, writes work again', () => {
    const repo = midRebase();
    const env = { HZL_AUTHOR: 'claude-code', HZL_WRITE_DURING_REBASE: '1' };
    const forced = hzl(repo, ['task', 'checkpoint', '1', 'I know what I am doing', '--commit'], { env });
    expect(forced.status).toBe(0);
    expect(forced.stderr).toContain('not committed: a rebase is in progress');
    expect(checkpoints(repo)).toEqual([expect.stringMatching(/I know what I am doing$/)]);
    git(repo, 'checkout', '-q', '--', '.hzl');
    git(repo, 'rebase', '--continue');
    const after = hzl(repo, ['task', 'checkpoint', '1', 'After the rebase'], { env: { HZL_AUTHOR: 'claude-code' } });
    expect(after.status).toBe(0);
    expect(checkpoints(repo)).toEqual([expect.stringMatching(/After the rebase$/)]);
  });
});

/** A pid that belonged to a process that has exited. */
function deadPid(): number {
  const pid = spawnSync(process.execPath, ['-e', '0']).pid!;
  expect(() => process.kill(pid, 0)).toThrow();
  return pid;
}

interface Started {
  child: ChildProcess;
  exited: boolean;
  result: Promise<Run>;
}

function start(repo: string, args: string[], env: NodeJS.ProcessEnv): Started {
  const child = spawn(process.execPath, [HZL, ...args], { cwd: repo, env: baseEnv(env) });
  const started: Started = { child, exited: false, result: undefined as unknown as Promise<Run> };
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  child.stdin!.end();
  started.result = new Promise((done) =>
    child.on('close', (status, signal) => {
      started.exited = true;
      done({ status: status ?? (signal ? -1 : null), stdout, stderr: signal ? `${stderr}<${signal}>` : stderr });
    }),
  );
  return started;
}

type StepState =
  | { kind: 'paused'; step: string; n: number }
  | { kind: 'waiting' }
  | { kind: 'running' }
  | { kind: 'exited' };

/** Where a process run with HZL_TEST_LOCK_STEPS stands (see src/store/lock-steps.ts). */
function stepState(folder: string, p: Started): StepState {
  if (p.exited) return { kind: 'exited' };
  const mine = readdirSync(folder)
    .filter((f) => f.startsWith(`${p.child.pid}.`))
    .map((f) => f.split('.'));
  let last: { n: number; step: string } | undefined;
  for (const [, n, step] of mine)
    if (step !== 'go' && step !== 'waiting' && (!last || Number(n) > last.n)) last = { n: Number(n), step: step! };
  const n = last?.n ?? 0;
  const has = (what: string) => mine.some(([, m, step]) => Number(m) === n && step === what);
  if (last && !has('go')) return { kind: 'paused', step: last.step, n };
  return has('waiting') ? { kind: 'waiting' } : { kind: 'running' };
}

/**
 * Drives the processes one lock step at a time: whenever every one of them has stopped at a
 * step, is waiting for a lock or has exited (and one has stopped), it lets one stopped process go
 * on, taking turns.
 * Counts the moments at which two of them held the lock at once. `first` goes first.
 */
async function driveTurns(
  folder: string,
  procs: Started[],
  first = 0,
): Promise<{ doubleHolds: number; trace: string[] }> {
  const trace: string[] = [];
  let doubleHolds = 0;
  let last = first === 0 ? -1 : first - 1;
  for (;;) {
    // A waiting process may go on by itself (its lock came free): decide once one has stopped.
    let states: StepState[] = [];
    await until(
      () => {
        states = procs.map((p) => stepState(folder, p));
        return states.every((s) => s.kind !== 'running') && states.some((s) => s.kind !== 'waiting');
      },
      `every process to stop, wait or exit (${trace.join(' ')})`,
    );
    if (states.every((s) => s.kind === 'exited')) return { doubleHolds, trace };
    const paused = states.flatMap((s, i) => (s.kind === 'paused' ? [i] : []));
    if (paused.length === 0) continue; // the others have exited; the waiting one goes on
    if (paused.filter((i) => (states[i] as { step: string }).step === 'held').length > 1) doubleHolds++;
    const next = paused.find((i) => i !== last) ?? paused[0]!;
    const s = states[next] as { step: string; n: number };
    trace.push(`${'AB'[next]}:${s.step}`);
    writeFileSync(join(folder, `${procs[next]!.child.pid}.${s.n}.go`), '');
    last = next;
  }
}

describe('breaking a stale lock', () => {
  // Left by kill -9 or Ctrl-C while breaking: a breaker lock of a dead process, as an older hzl
  // made it (a file) and as this one does (a folder holding one file named by its token).
  const deadBreakers: Record<string, (lock: string) => void> = {
    "an older hzl's breaker file": (lock) => {
      writeFileSync(`${lock}.break`, `${deadPid()}\n${hostname()}\n1700000000000\n`);
      const old = new Date(Date.now() - 60_000);
      utimesSync(`${lock}.break`, old, old);
    },
    'a breaker folder': (lock) => {
      mkdirSync(`${lock}.breaker`);
      const pid = deadPid();
      writeFileSync(join(`${lock}.breaker`, `${pid}-0123456789ab`), `${pid}\n${hostname()}\n${pid}-0123456789ab\n\n`);
    },
  };

  it.each(Object.keys(deadBreakers))(
    'two processes breaking a dead lock (and %s) by turns never hold it at once',
    { timeout: 120_000 },
    async (breaker) => {
      const repo = oneTask();
      const locks = lockDir(repo);
      mkdirSync(locks, { recursive: true });
      const lock = join(locks, 'task-1.lock');
      writeFileSync(lock, `${deadPid()}\n${hostname()}\n1700000000000-dead\n`);
      deadBreakers[breaker]!(lock);

      const folder = tempDir();
      const env = { HZL_AUTHOR: 'claude-code', HZL_TEST_LOCK_STEPS: folder, HZL_LOCK_TIMEOUT_MS: '120000' };
      const procs = ['From A', 'From B'].map((text) => start(repo, ['task', 'checkpoint', '1', text], env));
      const { doubleHolds, trace } = await driveTurns(folder, procs);
      const results = await Promise.all(procs.map((p) => p.result));
      expect({ doubleHolds, trace }).toEqual({ doubleHolds: 0, trace: expect.any(Array) });
      expect(results.map((r) => [r.status, r.stderr])).toEqual([
        [0, expect.any(String)],
        [0, expect.any(String)],
      ]);
      expect(
        checkpoints(repo)
          .map((l) => l.replace(/^.*: /, ''))
          .sort(),
      ).toEqual(['From A', 'From B']);
      expect(readdirSync(locks)).toEqual([]);
    },
  );
});

describe('a slow owner', () => {
  it('a lock whose owner is slow to write it (seconds, on a busy machine) is not taken for a dead one', {
    timeout: 120_000,
  }, async () => {
    const repo = oneTask();
    const locks = lockDir(repo);
    mkdirSync(locks, { recursive: true });
    const lock = join(locks, 'task-1.lock');
    const folder = tempDir();
    const env = { HZL_AUTHOR: 'claude-code', HZL_TEST_LOCK_STEPS: folder, HZL_LOCK_TIMEOUT_MS: '120000' };
    const a = start(repo, ['task', 'checkpoint', '1', 'From A'], env);
    await until(() => stepState(folder, a).kind === 'paused', 'A to stop with the lock created');
    // A has made the lock and stalls there: ten seconds pass.
    const past = new Date(Date.now() - 10_000);
    utimesSync(lock, past, past);
    const b = start(repo, ['task', 'checkpoint', '1', 'From B'], env);
    const { doubleHolds } = await driveTurns(folder, [a, b], 1); // B acts on its judgement first
    const results = await Promise.all([a.result, b.result]);
    expect(doubleHolds).toBe(0);
    expect(results.map((r) => r.status)).toEqual([0, 0]);
    expect(
      checkpoints(repo)
        .map((l) => l.replace(/^.*: /, ''))
        .sort(),
    ).toEqual(['From A', 'From B']);
  });
});

describe('odd things where a lock should be', () => {
  const odd: Record<string, (lock: string) => void> = {
    'a folder': (lock) => mkdirSync(lock),
    'a dangling symbolic link': (lock) => symlinkSync(join(lock, '..', 'nowhere'), lock),
    'a link to a file': (lock) => {
      writeFileSync(`${lock}.target`, `${deadPid()}\n${hostname()}\n1700000000000-dead\n`);
      symlinkSync(`${lock}.target`, lock);
    },
  };

  it.each(Object.keys(odd))('%s: exit 5 at once naming it, nothing written', (kind) => {
    const repo = oneTask();
    mkdirSync(lockDir(repo), { recursive: true });
    const lock = join(lockDir(repo), 'task-1.lock');
    odd[kind]!(lock);
    const before = snapshot(repo);
    // The default timeout is 10 s: an answer well within it shows hzl did not wait.
    const started = Date.now();
    const r = hzl(repo, ['task', 'checkpoint', '1', 'Blocked?'], {
      env: { HZL_AUTHOR: 'claude-code', HZL_LOCK_TIMEOUT_MS: '60000' },
    });
    expect(Date.now() - started).toBeLessThan(30_000);
    const what = kind === 'a folder' ? 'a folder' : 'a symbolic link';
    expect({ status: r.status, stderr: r.stderr }).toEqual({
      status: 5,
      stderr: `hzl: ${lock} is ${what}, not a lock hzl made: remove it if no hzl is running, then try again\n`,
    });
    expect(snapshot(repo)).toEqual(before);
  });

  it('a breaker lock that is a file of junk: exit 5 naming it, not a wait', () => {
    const repo = oneTask();
    mkdirSync(lockDir(repo), { recursive: true });
    const lock = join(lockDir(repo), 'task-1.lock');
    writeFileSync(lock, `${deadPid()}\n${hostname()}\n1700000000000-dead\n`);
    writeFileSync(`${lock}.breaker`, 'junk');
    const r = hzl(repo, ['task', 'checkpoint', '1', 'Blocked?'], {
      env: { HZL_AUTHOR: 'claude-code', HZL_LOCK_TIMEOUT_MS: '60000' },
    });
    expect({ status: r.status, stderr: r.stderr }).toEqual({
      status: 5,
      stderr: `hzl: ${lock}.breaker is a file, not a lock hzl made: remove it if no hzl is running, then try again\n`,
    });
  });
});

describe('signals', () => {
  /** A git that, asked to `add`, notes its pid in `marker` and hangs: hzl holds the commit lock meanwhile. */
  function hangingGit(marker: string): string {
    const bin = tempDir();
    const realGit = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();
    writeFileSync(
      join(bin, 'git'),
      `#!/bin/sh\nif [ "$1" = add ]; then echo $$ > '${marker}'; exec sleep 300; fi\nexec '${realGit}' "$@"\n`,
      { mode: 0o755 },
    );
    return bin;
  }

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s while hzl holds a lock: the lock is released, the process dies of the signal',
    { timeout: 60_000 },
    async (signal) => {
      const repo = oneTask();
      git(repo, 'add', '-A');
      git(repo, 'commit', '-q', '-m', 'tasks');
      const marker = join(tempDir(), 'git-add-pid');
      const bin = hangingGit(marker);
      const child = spawn(process.execPath, [HZL, 'task', 'checkpoint', '1', 'Interrupted', '--commit'], {
        cwd: repo,
        env: baseEnv({ HZL_AUTHOR: 'claude-code', PATH: `${bin}:${process.env.PATH}` }),
        stdio: 'ignore',
      });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
        child.on('close', (code, sig) => done({ code, signal: sig })),
      );
      const commitLock = join(lockDir(repo), 'commit.lock');
      await until(() => existsSync(marker) && readFileSync(marker, 'utf8').endsWith('\n'), 'git add to start');
      expect(existsSync(commitLock)).toBe(true);
      child.kill(signal);
      const end = await exited;
      try {
        process.kill(Number(readFileSync(marker, 'utf8')), 'SIGKILL');
      } catch {
        // Gone with its parent.
      }
      expect(end).toEqual({ code: null, signal });
      expect(existsSync(commitLock)).toBe(false);
      expect(readdirSync(lockDir(repo))).toEqual([]);
      // The write itself was done before the commit began.
      expect(checkpoints(repo)).toEqual([expect.stringMatching(/claude-code: Interrupted$/)]);
    },
  );
});

describe('stress: many writers breaking dead locks at once', () => {
  /** Holds every process, once Node is up, until one instant, so that they really overlap. */
  function startingGun(): NodeJS.ProcessEnv {
    const file = join(tempDir(), 'starting-gun.cjs');
    writeFileSync(
      file,
      'const wait = Number(process.env.HZL_TEST_START_AT) - Date.now();\n' +
        'if (wait > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait);\n',
    );
    return { NODE_OPTIONS: `--require ${JSON.stringify(file)}`, HZL_TEST_START_AT: String(Date.now() + 1500) };
  }

  it('6 rounds × 8 writers against a dead lock and a dead breaker: every acknowledged checkpoint is there, once', {
    timeout: 240_000,
  }, async () => {
    const repo = oneTask();
    const locks = lockDir(repo);
    mkdirSync(locks, { recursive: true });
    const lock = join(locks, 'task-1.lock');
    const acknowledged: string[] = [];
    for (let round = 0; round < 6; round++) {
      writeFileSync(lock, `${deadPid()}\n${hostname()}\n1700000000000-dead\n`);
      const breakers = Object.values({
        file: () => {
          writeFileSync(`${lock}.break`, `${deadPid()}\n${hostname()}\n1700000000000\n`);
          const old = new Date(Date.now() - 60_000);
          utimesSync(`${lock}.break`, old, old);
        },
        folder: () => {
          const pid = deadPid();
          mkdirSync(`${lock}.breaker`);
          writeFileSync(join(`${lock}.breaker`, `${pid}-00000000000${round}`), `${pid}\n${hostname()}\n${pid}-0\n\n`);
        },
      });
      breakers[round % 2]!();
      const env = { HZL_AUTHOR: 'claude-code', HZL_LOCK_TIMEOUT_MS: '60000', ...startingGun() };
      const texts = Array.from({ length: 8 }, (_, k) => `round ${round} writer ${k}`);
      const results = await Promise.all(
        texts.map((text) => hzlAsync(repo, ['task', 'checkpoint', '1', text], { env })),
      );
      results.forEach((r, k) => {
        expect({ status: r.status, stderr: r.stderr }).toEqual({
          status: 0,
          stderr: expect.stringMatching(/^Checkpoint added to #1/),
        });
        acknowledged.push(texts[k]!);
      });
      expect(readdirSync(locks)).toEqual([]);
    }
    const kept = checkpoints(repo).map((l) => l.replace(/^- \[[^\]]+\] claude-code: /, ''));
    expect(kept.sort()).toEqual(acknowledged.sort());
  });
});

describe('lock folder litter', () => {
  it('doctor reports what killed hzl processes left in the lock folder; --fix removes it, never a lock', () => {
    const repo = oneTask();
    const locks = lockDir(repo);
    mkdirSync(locks, { recursive: true });
    const pid = deadPid();
    const litter = [
      `task-1.lock.${pid}-0123456789ab.new`,
      `task-1.lock.${pid}-0123456789ab.stale`,
      `task-1.lock.breaker.${pid}-0123456789ab.tmp`,
    ];
    writeFileSync(join(locks, litter[0]!), 'staged');
    writeFileSync(join(locks, litter[1]!), 'moved aside');
    mkdirSync(join(locks, litter[2]!));
    writeFileSync(join(locks, litter[2]!, `${pid}-0123456789ab`), 'staged breaker');
    // A live lock of this process: not litter, whatever its age.
    writeFileSync(join(locks, 'task-2.lock'), `${process.pid}\n${hostname()}\n1700000000000-live\n`);
    const old = new Date(Date.now() - 10 * 60_000);
    for (const name of [...litter, 'task-2.lock']) utimesSync(join(locks, name), old, old);

    const r = hzl(repo, ['doctor']);
    expect(r.status).toBe(5);
    for (const name of litter)
      expect(r.stdout).toContain(`problem: .git/hzl/locks/${name}: left in the lock folder by a killed hzl process`);
    const fixed = hzl(repo, ['doctor', '--fix']);
    expect(fixed.status).toBe(0);
    expect(readdirSync(locks)).toEqual(['task-2.lock']);
  });
});

describe('doctor --fix and files that only look like temp files', () => {
  it("leaves the user's own dotted .tmp files in the top folder alone", () => {
    const repo = tempRepo();
    const old = Date.now() / 1000 - 7200;
    const mine = ['.notes.2024.draft.tmp', '.db.1.bak.tmp', '.data.7.0123456789ab.tmp'];
    for (const name of mine) {
      writeFileSync(join(repo, name), 'the user wrote this');
      utimesSync(join(repo, name), old, old);
    }
    const hzls = join(repo, '..gitattributes.4242.0123456789ab.tmp'); // the temp name of .gitattributes
    writeFileSync(hzls, 'half');
    utimesSync(hzls, old, old);
    const r = hzl(repo, ['doctor', '--fix']);
    expect(r.stdout).toContain('..gitattributes.4242.0123456789ab.tmp: a temp file left by an interrupted write');
    expect(existsSync(hzls)).toBe(false);
    for (const name of mine) expect(readFileSync(join(repo, name), 'utf8')).toBe('the user wrote this');
  });
});
