// The stress suite. `npm test` runs it small; `npm run stress` (HZL_STRESS=full) runs
// the full sizes: 32 racing claims, 16 × 50 parallel checkpoints, mixed writers, and 200 writers
// killed with SIGKILL in the middle of a write.

import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HZL, type Run, baseEnv, hzl, hzlAsync, tempRepo } from './helpers.js';

const FULL = process.env.HZL_STRESS === 'full';
const SIZE = FULL
  ? { claimers: 32, writers: 16, perWriter: 50, mixed: 8, mixedRounds: 20, crashes: 200 }
  : { claimers: 8, writers: 4, perWriter: 10, mixed: 4, mixedRounds: 4, crashes: 20 };
const TIMEOUT = FULL ? 900_000 : 180_000;

function showJson(repo: string, id = 1) {
  const r = hzl(repo, ['task', 'show', String(id), '--json']);
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  return JSON.parse(r.stdout).task as {
    checkpoints: Array<{ text: string }>;
    history: Array<{ text: string }>;
    author: string | null;
  };
}

async function sequence(repo: string, commands: string[][], env: NodeJS.ProcessEnv): Promise<Run[]> {
  const runs: Run[] = [];
  for (const args of commands) runs.push(await hzlAsync(repo, args, { env }));
  return runs;
}

const CRASH_POINT = fileURLToPath(new URL('./crash-point.cjs', import.meta.url));
const CRASH_STAGES = ['locked', 'temp-written', 'renamed'] as const;

/**
 * A checkpoint writer. With `pauseAt`, it stops at that moment of its write and `paused`
 * resolves; `paused` fails if the process ends first (the kill would then prove nothing).
 */
function writer(repo: string, text: string, pauseAt?: (typeof CRASH_STAGES)[number]) {
  const env = baseEnv({
    HZL_AUTHOR: 'crasher',
    HZL_LOCK_TIMEOUT_MS: '30000',
    ...(pauseAt ? { NODE_OPTIONS: `--require ${JSON.stringify(CRASH_POINT)}`, HZL_TEST_PAUSE_AT: pauseAt } : {}),
  });
  const child = spawn(process.execPath, [HZL, 'task', 'checkpoint', '1', text], {
    cwd: repo,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  const paused = new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      stderr += d;
      if (stderr.includes(`paused at ${pauseAt}\n`)) resolve();
    });
    void done.then(({ code }) =>
      reject(new Error(`the writer exited (${code}) before pausing at ${pauseAt}: ${stderr}`)),
    );
  });
  if (!pauseAt) paused.catch(() => undefined);
  return { child, text, done, paused };
}

describe(`stress (${FULL ? 'full' : 'small'})`, () => {
  it(`${SIZE.claimers} racing claims: exactly one winner`, { timeout: TIMEOUT }, async () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'Contested'], { env: { HZL_AUTHOR: 'a' } });
    const runs = await Promise.all(
      Array.from({ length: SIZE.claimers }, (_, i) => hzlAsync(repo, ['task', 'claim', '1', '--author', `agent-${i}`])),
    );
    const winners = runs.filter((r) => r.status === 0);
    expect(winners).toHaveLength(1);
    const winner = showJson(repo).author;
    for (const r of runs.filter((x) => x.status !== 0)) {
      expect(r.status).toBe(4);
      expect(r.stderr).toMatch(new RegExp(`already claimed by ${winner} since`));
    }
  });

  it(`${SIZE.writers} × ${SIZE.perWriter} parallel checkpoints: every line kept once`, {
    timeout: TIMEOUT,
  }, async () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'Busy'], { env: { HZL_AUTHOR: 'a' } });
    const all = await Promise.all(
      Array.from({ length: SIZE.writers }, (_, w) =>
        sequence(
          repo,
          Array.from({ length: SIZE.perWriter }, (_, n) => ['task', 'checkpoint', '1', `w${w}-n${n}`]),
          { HZL_AUTHOR: `w${w}` },
        ),
      ),
    );
    expect(all.flat().every((r) => r.status === 0)).toBe(true);
    const texts = showJson(repo).checkpoints.map((c) => c.text);
    expect(texts).toHaveLength(SIZE.writers * SIZE.perWriter);
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('mixed writers on one task: the file always parses and no checkpoint is lost', { timeout: TIMEOUT }, async () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'Mixed'], { env: { HZL_AUTHOR: 'a' } });
    const acknowledged: string[] = [];
    const writers = Array.from({ length: SIZE.mixed }, async (_, w) => {
      for (let n = 0; n < SIZE.mixedRounds; n++) {
        const env = { HZL_AUTHOR: `m${w}` };
        const step = (w + n) % 4;
        const args =
          step === 0
            ? ['task', 'claim', '1', '--author', `m${w}`]
            : step === 1
              ? ['task', 'update', '1', '--priority', String(n % 4), '--add-tag', `t${w}`]
              : step === 2
                ? ['task', 'release', '1']
                : ['task', 'checkpoint', '1', `m${w}-r${n}`];
        const r = await hzlAsync(repo, args, { env });
        expect([0, 4]).toContain(r.status); // 4: claimed by another, or nothing to release
        if (step === 3 && r.status === 0) acknowledged.push(`m${w}-r${n}`);
        // Between writes, the file must always parse.
        expect(hzl(repo, ['task', 'show', '1', '--json']).status).toBe(0);
      }
    });
    await Promise.all(writers);
    const texts = showJson(repo).checkpoints.map((c) => c.text);
    for (const a of acknowledged) expect(texts.filter((t) => t === a)).toHaveLength(1);
  });

  it(`${SIZE.crashes} writers killed mid-write: every file parses, every acknowledged checkpoint is there`, {
    timeout: TIMEOUT,
  }, async () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'Crashy'], { env: { HZL_AUTHOR: 'a' } });
    hzl(repo, ['task', 'add', 'Bystander'], { env: { HZL_AUTHOR: 'a' } });
    const acknowledged: string[] = [];
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < SIZE.crashes; i++) {
      // Two writers at a time. One of them stops at a moment of its write (tests/crash-point.cjs)
      // and is killed there: holding the lock, with the temp file written, or just after the rename.
      const stage = CRASH_STAGES[i % CRASH_STAGES.length]!;
      const victimIndex = Math.floor(random() * 2);
      const children = [0, 1].map((k) => writer(repo, `crash-${i}-${k}`, k === victimIndex ? stage : undefined));
      const victim = children[victimIndex]!;
      await victim.paused.catch((err: Error) => {
        throw new Error(`round ${i}: ${err.message}`);
      });
      victim.child.kill('SIGKILL');
      const ends = await Promise.all(children.map((c) => c.done));
      expect({ round: i, stage, victim: ends[victimIndex] }).toEqual({
        round: i,
        stage,
        victim: { code: null, signal: 'SIGKILL' },
      });
      children.forEach((c, k) => {
        if (ends[k]!.code === 0) acknowledged.push(c.text);
      });
      // Killed before the rename, its checkpoint is not there; after it, it is, once.
      const texts = showJson(repo).checkpoints.map((c) => c.text);
      expect({ round: i, stage, kept: texts.filter((t) => t === victim.text).length }).toEqual({
        round: i,
        stage,
        kept: stage === 'renamed' ? 1 : 0,
      });
    }
    const task = showJson(repo);
    const texts = task.checkpoints.map((c) => c.text);
    for (const a of acknowledged) expect(texts.filter((t) => t === a)).toHaveLength(1);
    expect(acknowledged).toHaveLength(SIZE.crashes); // every writer that was not killed
    // Every task file parses (the bystander too), and a live writer is not blocked by a dead one's lock.
    const list = hzl(repo, ['task', 'list', '--json']);
    expect(list.stderr).toBe('');
    expect(JSON.parse(list.stdout).tasks).toHaveLength(2);
    expect(hzl(repo, ['task', 'checkpoint', '1', 'after the storm'], { env: { HZL_AUTHOR: 'a' } }).status).toBe(0);
    // Killed writers may leave temp files behind; they are never taken for tasks.
    const names = readdirSync(join(repo, '.hzl/tasks')).filter((n) => !n.startsWith('.'));
    expect(names.sort()).toEqual(['1-crashy.md', '2-bystander.md']);
  });
});
