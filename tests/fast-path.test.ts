// The fast path and yargs must agree: the same calls, in two identical repositories, one with the
// fast path and one with HZL_FAST_PATH=0, give the same output, exit codes and files. (One
// exception, tested in errors.test.ts: only the fast path reads text after `--`.)

import { describe, expect, it } from 'vitest';
import { hzl, snapshot, tempRepo } from './helpers.js';

const CALLS: string[][] = [
  ['task', 'add', 'Implement', 'user', 'authentication', '-p', '2', '-t', 'auth,backend'],
  ['task', 'add', 'Write docs', '--depends-on', '1', '--description', 'The README and --help'],
  ['task', 'create', '--status=backlog', 'Later'],
  ['task', 'claim', '#1', '--author', 'claude-code', '--lease', '30m'],
  ['task', 'claim', '1', '--author=claude-code'],
  ['task', 'claim', '2', '--author', 'other'],
  ['task', 'claim', '2', '--author', 'other', '--force'],
  ['task', 'checkpoint', '1', 'Designed', 'schema'],
  ['task', 'checkpoint', '1', 'single argument with  two spaces'],
  ['task', 'checkpoint', '1', '-'],
  ['task', 'checkpoint', '1', '-q', 'quiet one'],
  ['task', 'show', '1'],
  ['task', 'show', '1', '--json'],
  ['--json', 'task', 'show', '1'],
  ['task', 'list', '--status', 'in_progress', '--status', 'ready'],
  ['task', 'list', '--status', 'ready,backlog', '--sort', 'priority', '--limit', '2'],
  ['task', 'list', '--author', 'claude-code', '--json'],
  ['task', 'list', '--available'],
  ['task', 'ls', '--all', '--no-color'],
  ['task', 'update', '2', '--title', 'Write the docs', '--add-tag', 'docs', '-p', '1'],
  ['task', 'block', '1', '--reason', 'waiting for keys'],
  ['task', 'unblock', '1'],
  ['task', 'release', '1'],
  ['task', 'complete', '2', '-m', 'done and dusted'],
  ['task', 'reopen', '2'],
  ['task', 'archive', '3'],
  ['task', 'history', '1'],
  ['-C', '.hzl', 'task', 'show', '1'],
  ['task', 'show'],
  ['task', 'show', '1', '2'],
  ['task', 'list', '--bogus'],
  ['task', 'block', '1'],
  ['task', 'list', '--sort', 'nonsense'],
  ['task', 'claim', '1', '--lease'],
  ['task', 'checkpoint', '1', '- fixed the bug'],
  ['task', 'checkpoint', '1', '-5 degrees outside'],
];

function runAll(env: NodeJS.ProcessEnv) {
  const repo = tempRepo();
  const base = { HZL_NOW: '2024-01-15T10:30:00Z', HZL_AUTHOR: 'alice', ...env };
  const results = CALLS.map((args) => {
    const r = hzl(repo, args, { env: base, input: 'from stdin\nsecond line\n' });
    return { args: args.join(' '), status: r.status, stdout: r.stdout, stderr: r.stderr };
  });
  return { results, files: snapshot(repo) };
}

describe('fast path', () => {
  it('agrees with yargs on output, exit codes and files', () => {
    const fast = runAll({});
    const slow = runAll({ HZL_FAST_PATH: '0' });
    for (const [i, r] of fast.results.entries()) {
      const s = slow.results[i]!;
      // Usage errors are always yargs' (the fast path declines them), so they match exactly too.
      expect(r).toEqual(s);
    }
    expect(fast.files).toEqual(slow.files);
    expect(fast.results.filter((r) => r.status === 0).length).toBeGreaterThan(20);
    expect(fast.results.filter((r) => r.status === 2).length).toBeGreaterThanOrEqual(5);
  });
});
