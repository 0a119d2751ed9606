// Many hzl processes at once on one repository. Every process is real, every write goes to a
// real file; the tests look at exit codes, messages and the bytes left behind.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, hzl, hzlAsync, readTask, tempDir, tempRepo } from './helpers.js';

/**
 * A starting gun. Node takes tens of milliseconds to start, more than an hzl write takes, so
 * processes spawned together would mostly run one after another. Preloaded with --require, this
 * holds every process, once Node is up, until all `count` of them are up (each leaves a file);
 * then the gun fires (one more file) and they really overlap, however slow the machine.
 */
function startingGun(count: number) {
  const dir = tempDir();
  const go = join(dir, 'go');
  const file = join(dir, 'starting-gun.cjs');
  writeFileSync(
    file,
    "const { existsSync, writeFileSync } = require('node:fs');\n" +
      `writeFileSync(${JSON.stringify(join(dir, 'ready-'))} + process.pid, '');\n` +
      'const nap = new Int32Array(new SharedArrayBuffer(4));\n' +
      `while (!existsSync(${JSON.stringify(go)})) Atomics.wait(nap, 0, 0, 1);\n`,
  );
  const ready = () => readdirSync(dir).filter((n) => n.startsWith('ready-')).length;
  return {
    env: { NODE_OPTIONS: `--require ${JSON.stringify(file)}` } as NodeJS.ProcessEnv,
    /** Waits until every process is up, fires, and returns what they did. */
    async race<T>(runs: Array<Promise<T>>): Promise<T[]> {
      const all = Promise.all(runs);
      const end = Date.now() + 60_000;
      let ended = false;
      void all.finally(() => (ended = true));
      while (ready() < count && !ended) {
        if (Date.now() > end) throw new Error(`only ${ready()} of ${count} processes started within a minute`);
        await new Promise((r) => setTimeout(r, 5));
      }
      writeFileSync(go, '');
      return all;
    },
  };
}

/** The `- [time] author: text` lines of one section, in file order. */
function sectionLines(text: string, header: string): string[] {
  const start = text.indexOf(`\n${header}\n`);
  if (start === -1) return [];
  const end = text.indexOf('\n## ', start + 1);
  return text
    .slice(start + header.length + 2, end === -1 ? undefined : end)
    .split('\n')
    .filter((l) => l.startsWith('- '));
}

function lockDir(repo: string): string {
  return join(resolve(repo, git(repo, 'rev-parse', '--git-common-dir').trim()), 'hzl', 'locks');
}

/** A repository with task #1, and where task #1's lock goes (its folder made). */
function oneTaskAndItsLock(): { repo: string; lock: string } {
  const repo = tempRepo();
  expect(hzl(repo, ['task', 'add', 'Implement user authentication'], { env: { HZL_AUTHOR: 'alice' } }).status).toBe(0);
  const locks = lockDir(repo);
  mkdirSync(locks, { recursive: true });
  return { repo, lock: join(locks, 'task-1.lock') };
}

/** Nothing left behind: no lock files, no temp files beside the tasks. */
function expectNoLeftovers(repo: string): void {
  const locks = lockDir(repo);
  expect(existsSync(locks) ? readdirSync(locks) : []).toEqual([]);
  expect(readdirSync(join(repo, '.hzl', 'tasks')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
}

/** A pid that belonged to a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  const pid = child.pid!;
  expect(() => process.kill(pid, 0)).toThrow(); // ESRCH: nobody has it now
  return pid;
}

describe('many processes at once', () => {
  it('16 racing claims: exactly one wins, fifteen exit 4 naming the winner', { timeout: 120_000 }, async () => {
    const repo = tempRepo();
    expect(hzl(repo, ['task', 'add', 'Implement user authentication'], { env: { HZL_AUTHOR: 'alice' } }).status).toBe(
      0,
    );

    const agents = Array.from({ length: 16 }, (_, i) => `agent-${i + 1}`);
    const gun = startingGun(agents.length);
    const runs = await gun.race(
      agents.map((a) => hzlAsync(repo, ['task', 'claim', '1', '--author', a], { env: gun.env })),
    );

    const winners = agents.filter((_, i) => runs[i]!.status === 0);
    expect(winners).toHaveLength(1);
    const winner = winners[0]!;
    for (const [i, r] of runs.entries()) {
      if (agents[i] === winner) {
        expect(r.stderr).toMatch(new RegExp(`^Claimed #1 for ${winner}\\b`));
        continue;
      }
      expect({ agent: agents[i], status: r.status }).toEqual({ agent: agents[i], status: 4 });
      const lines = r.stderr.split('\n').filter(Boolean);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^hzl: task #1 is already claimed by ${winner} since `));
      expect(r.stdout).toBe('');
    }

    const file = readTask(repo, 1);
    const claims = sectionLines(file, '## History').filter((l) => / claimed \(/.test(l));
    expect(claims).toEqual([
      expect.stringMatching(new RegExp(`^- \\[[^\\]]+\\] ${winner}: claimed \\(ready → in_progress, lease 2h\\)$`)),
    ]);
    expect(file.match(/^author: .*$/gm)).toEqual([`author: ${winner}`]);
    expect(file).toMatch(/^status: in_progress$/m);
    expectNoLeftovers(repo);
  });

  it('8 racing claim --next over 5 ready tasks: each task goes to exactly one agent', {
    timeout: 120_000,
  }, async () => {
    const repo = tempRepo();
    for (let i = 1; i <= 5; i++)
      expect(hzl(repo, ['task', 'add', `Task ${i}`], { env: { HZL_AUTHOR: 'alice' } }).status).toBe(0);

    const agents = Array.from({ length: 8 }, (_, i) => `agent-${i + 1}`);
    const gun = startingGun(agents.length);
    const runs = await gun.race(
      agents.map((a) => hzlAsync(repo, ['task', 'claim', '--next', '--author', a, '--json'], { env: gun.env })),
    );
    for (const r of runs) expect({ status: r.status, stderr: r.stderr }).toMatchObject({ status: 0 });

    const docs = runs.map(
      (r) => JSON.parse(r.stdout) as { changed: boolean; task: { id: number; author: string } | null },
    );
    const won = new Map<number, string>();
    for (const [i, doc] of docs.entries()) {
      if (!doc.changed) {
        expect(doc.task).toBeNull();
        continue;
      }
      expect(doc.task!.author).toBe(agents[i]);
      expect(won.has(doc.task!.id)).toBe(false);
      won.set(doc.task!.id, agents[i]!);
    }
    expect([...won.keys()].sort()).toEqual([1, 2, 3, 4, 5]);
    for (const [id, agent] of won) {
      const file = readTask(repo, id);
      expect(sectionLines(file, '## History').filter((l) => / claimed \(/.test(l))).toEqual([
        expect.stringMatching(new RegExp(`\\] ${agent}: claimed \\(ready → in_progress`)),
      ]);
      expect(file.match(/^author: .*$/gm)).toEqual([`author: ${agent}`]);
    }
    expectNoLeftovers(repo);
  });

  it('8 writers × 25 checkpoints: all 200 lines arrive, each once, and the file parses', {
    timeout: 180_000,
  }, async () => {
    const repo = tempRepo();
    expect(hzl(repo, ['task', 'add', 'Implement user authentication'], { env: { HZL_AUTHOR: 'alice' } }).status).toBe(
      0,
    );

    const writers = 8;
    const each = 25;
    const failures: string[] = [];
    let writing = true;
    const written = Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let n = 1; n <= each; n++) {
          const r = await hzlAsync(repo, [
            'task',
            'checkpoint',
            '1',
            `writer ${w} step ${n}`,
            '--author',
            `writer-${w}`,
          ]);
          if (r.status !== 0) failures.push(`writer ${w} step ${n}: exit ${r.status}: ${r.stderr}`);
        }
      }),
    ).finally(() => (writing = false));
    // Meanwhile a reader never sees a torn file: every read parses, and the count only grows.
    const seen: number[] = [];
    const read = (async () => {
      while (writing) {
        const r = await hzlAsync(repo, ['task', 'show', '1', '--json']);
        if (r.status !== 0) failures.push(`reader: exit ${r.status}: ${r.stderr}`);
        else seen.push((JSON.parse(r.stdout) as { task: { checkpoints: unknown[] } }).task.checkpoints.length);
      }
    })();
    await Promise.all([written, read]);
    expect(failures).toEqual([]);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));

    const file = readTask(repo, 1);
    const lines = sectionLines(file, '## Checkpoints');
    expect(lines).toHaveLength(writers * each);
    for (let w = 0; w < writers; w++) {
      const mine = lines.filter((l) => l.includes(`] writer-${w}: writer ${w} step `));
      // Each writer's lines, once each and in the order that writer wrote them.
      expect(mine.map((l) => Number(/ step (\d+)$/.exec(l)![1]))).toEqual(
        Array.from({ length: each }, (_, i) => i + 1),
      );
    }
    expect(new Set(lines).size).toBe(lines.length);

    const show = hzl(repo, ['task', 'show', '1', '--json']);
    expect(show.status).toBe(0);
    const doc = JSON.parse(show.stdout) as {
      task: { checkpoints: Array<{ author: string; text: string }>; history: unknown[] };
    };
    expect(doc.task.checkpoints).toHaveLength(writers * each);
    expect(new Set(doc.task.checkpoints.map((c) => c.text)).size).toBe(writers * each);
    expect(doc.task.history).toHaveLength(1); // checkpoints add no History lines
    expectNoLeftovers(repo);
  });

  it('8 parallel adds get 8 distinct ids, 1 to 8', { timeout: 120_000 }, async () => {
    const repo = tempRepo();
    const gun = startingGun(8);
    const env = { ...gun.env, HZL_AUTHOR: 'alice' };
    const runs = await gun.race(
      Array.from({ length: 8 }, (_, i) => hzlAsync(repo, ['task', 'add', `Parallel task ${i}`], { env })),
    );
    for (const r of runs) expect({ status: r.status, stderr: r.stderr }).toMatchObject({ status: 0 });
    const ids = runs.map((r) => Number(r.stdout.trim())).sort((a, b) => a - b);
    expect(ids).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);

    // Each printed id is the file that holds that title.
    for (const [i, r] of runs.entries()) {
      expect(readTask(repo, Number(r.stdout.trim()))).toContain(`\ntitle: Parallel task ${i}\n`);
    }
    const files = readdirSync(join(repo, '.hzl', 'tasks')).filter((n) => n.endsWith('.md'));
    expect(files.map((n) => Number(n.split('-')[0])).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(hzl(repo, ['task', 'add', 'One more'], { env: { HZL_AUTHOR: 'alice' } }).stdout).toBe('9\n');
    expectNoLeftovers(repo);
  });

  it('parallel adds in two worktrees of one clone never mint the same id', { timeout: 120_000 }, async () => {
    const repo = tempRepo();
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'hzl init');
    const other = join(tempDir(), 'worktree');
    git(repo, 'worktree', 'add', '-q', other, '-b', 'other');

    const gun = startingGun(8);
    const env = { ...gun.env, HZL_AUTHOR: 'alice' };
    const runs = await gun.race(
      Array.from({ length: 8 }, (_, i) => hzlAsync(i % 2 ? other : repo, ['task', 'add', `Task ${i}`], { env })),
    );
    for (const r of runs) expect({ status: r.status, stderr: r.stderr }).toMatchObject({ status: 0 });
    expect(runs.map((r) => Number(r.stdout.trim())).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const names = (dir: string) => readdirSync(join(dir, '.hzl', 'tasks')).filter((n) => n.endsWith('.md'));
    expect(names(repo)).toHaveLength(4);
    expect(names(other)).toHaveLength(4);
  });

  it('a lock left by a dead process on this host does not block a checkpoint', { timeout: 60_000 }, () => {
    const { repo, lock } = oneTaskAndItsLock();
    // The format of src/store/lock.ts: pid, host, then a token line.
    writeFileSync(lock, `${deadPid()}\n${hostname()}\n1700000000000-stale\n`);

    // A short timeout: were the stale lock not broken, this would fail with exit 4, not hang.
    const env = { HZL_LOCK_TIMEOUT_MS: '3000' };
    const r = hzl(repo, ['task', 'checkpoint', '1', 'Work after a crash', '--author', 'claude-code'], { env });
    expect({ status: r.status, stderr: r.stderr }).toEqual({
      status: 0,
      stderr: 'Checkpoint added to #1 (1 in all)\n',
    });
    expect(sectionLines(readTask(repo, 1), '## Checkpoints')).toEqual([
      expect.stringMatching(/^- \[[^\]]+\] claude-code: Work after a crash$/),
    ]);
    expectNoLeftovers(repo);
  });

  it('an empty lock whose owner died before writing it stops blocking after a few seconds', { timeout: 60_000 }, () => {
    const { repo, lock } = oneTaskAndItsLock();
    const checkpoint = (text: string, timeout: string) =>
      hzl(repo, ['task', 'checkpoint', '1', text, '--author', 'claude-code'], {
        env: { HZL_LOCK_TIMEOUT_MS: timeout },
      });

    // Just created, not yet written: its owner is about to write it, so it is respected. (Dated a
    // little ahead, so that a slow start of hzl on a busy machine cannot make it look old.)
    writeFileSync(lock, '');
    const soon = new Date(Date.now() + 5_000);
    utimesSync(lock, soon, soon);
    const fresh = checkpoint('Too early', '300');
    expect(fresh.status).toBe(4);
    expect(fresh.stderr).toMatch(/^hzl: task #1 is locked by another hzl process[^\n]*\n$/);

    // Ten seconds later it is still empty: whoever created it is gone (killed, or the disk was full).
    const past = new Date(Date.now() - 10_000);
    utimesSync(lock, past, past);
    const r = checkpoint('After the crash', '3000');
    expect({ status: r.status, stderr: r.stderr }).toEqual({
      status: 0,
      stderr: 'Checkpoint added to #1 (1 in all)\n',
    });
    expect(sectionLines(readTask(repo, 1), '## Checkpoints')).toEqual([
      expect.stringMatching(/^- \[[^\]]+\] claude-code: After the crash$/),
    ]);
    expectNoLeftovers(repo);
  });

  it.skipIf(!existsSync('/proc/self/stat'))(
    'a lock whose pid now belongs to another process (reused) does not block',
    { timeout: 60_000 },
    () => {
      const { repo, lock } = oneTaskAndItsLock();
      // This test process is alive, but it is not the process that took the lock: that one started
      // at another time (the last line, /proc's start time), so its pid has been reused since.
      writeFileSync(lock, `${process.pid}\n${hostname()}\n1700000000000-gone\n1\n`);
      const r = hzl(repo, ['task', 'checkpoint', '1', 'Not blocked', '--author', 'claude-code'], {
        env: { HZL_LOCK_TIMEOUT_MS: '3000' },
      });
      expect(r.stderr).toBe('Checkpoint added to #1 (1 in all)\n');
      expect(r.status).toBe(0);
    },
  );

  it('a lock held by a live process does block: exit 4 naming the holder, nothing written', { timeout: 60_000 }, () => {
    const { repo, lock } = oneTaskAndItsLock();
    const before = readTask(repo, 1);
    // This test process is alive, on this host: its lock is not stale.
    writeFileSync(lock, `${process.pid}\n${hostname()}\n1700000000000-live\n`);

    const r = hzl(repo, ['task', 'checkpoint', '1', 'Blocked by the lock', '--author', 'claude-code'], {
      env: { HZL_LOCK_TIMEOUT_MS: '300' },
    });
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(
      new RegExp(`^hzl: task #1 is locked by another hzl process \\(pid ${process.pid}\\)[^\\n]*\\n$`),
    );
    expect(readTask(repo, 1)).toBe(before);
    expect(existsSync(lock)).toBe(true); // someone else's lock is left alone
  });

  it('the git user.name fallback runs before the task is locked, not while other writers wait', () => {
    const repo = tempRepo(); // user.name is set in the repository's own config
    expect(hzl(repo, ['task', 'add', 'Unclaimed'], { env: { HZL_AUTHOR: 'alice' } }).status).toBe(0);
    // A git that notes, each time it is asked for user.name, whether task 1's lock exists then.
    const bin = tempDir();
    const seen = join(bin, 'seen');
    const realGit = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();
    writeFileSync(
      join(bin, 'git'),
      `#!/bin/sh\ncase "$*" in *user.name*) if [ -e '${join(lockDir(repo), 'task-1.lock')}' ]; ` +
        `then echo locked >> '${seen}'; else echo free >> '${seen}'; fi;; esac\nexec '${realGit}' "$@"\n`,
      { mode: 0o755 },
    );
    const r = hzl(repo, ['task', 'checkpoint', '1', 'Who am I?'], { env: { PATH: `${bin}:${process.env.PATH}` } });
    expect(r.stderr).toBe('Checkpoint added to #1 (1 in all)\n');
    expect(readFileSync(seen, 'utf8')).toBe('free\n');
    expect(readTask(repo, 1)).toMatch(/\] Test User: Who am I\?$/m);
  });
});
