// The in-process runner (tests/in-process.ts) stands in for the process in most suites: it must
// answer exactly what the process answers. Two repositories get the same calls, one through
// `node bin/hzl.js`, the other in-process; every status, stdout and stderr must be equal.

import { describe, expect, it } from 'vitest';
import { type Run, hzlInProcess, hzlProcess, tempDir, tempRepo } from './helpers.js';

const ENV = { HZL_AUTHOR: 'alice', HZL_NOW: '2024-01-15T10:30:00Z' };

type Step = { args: string[]; input?: string; env?: NodeJS.ProcessEnv };

const STEPS: Step[] = [
  { args: ['task', 'add', 'Implement user authentication', '-d', 'With sessions'] },
  { args: ['task', 'add', 'Add rate limiting', '--depends-on', '1'] },
  { args: ['task', 'claim', '1'] },
  { args: ['task', 'checkpoint', '1', '-'], input: 'Designed the schema\nand the tables\n' },
  { args: ['-C', '.', '--json', 'task', 'show', '1'] },
  { args: ['task', 'list'] },
  { args: ['task', 'show', '99'] }, // not found: 3
  { args: ['--json', 'task', 'show', '99'] }, // the JSON error document
  { args: ['task', 'show', 'abc'] }, // usage: 2
  { args: ['task', 'claim', '2'] }, // blocked by 1: 4
  { args: ['task', 'complete', '1', '-m', 'done'] },
  { args: ['task', 'chekpoint', '1', 'x'] }, // an unknown word: yargs, with a suggestion
  { args: ['task', 'show', '--help'] }, // help, from the yargs bundle
  { args: ['--version'] },
  { args: ['task', 'add', 'x'], env: { HZL_AUTHOR: 'bad\u0007name' } }, // invalid: 2
];

function runAll(run: (cwd: string, args: string[], options: { env: NodeJS.ProcessEnv; input: string }) => Run): Run[] {
  const repo = tempRepo();
  return STEPS.map((s) => run(repo, s.args, { env: { ...ENV, ...s.env }, input: s.input ?? '' }));
}

describe('the in-process runner and the process', () => {
  it('give the same status, stdout and stderr for a run of calls', () => {
    const processes = runAll(hzlProcess);
    const inProcess = runAll(hzlInProcess);
    for (const [i, step] of STEPS.entries()) {
      expect({ call: step.args.join(' '), ...inProcess[i] }).toEqual({ call: step.args.join(' '), ...processes[i] });
    }
    // The sample covers what it claims to.
    expect(new Set(processes.map((r) => r.status))).toEqual(new Set([0, 2, 3, 4]));
  });

  it('agree outside any repository', () => {
    const dir = tempDir();
    for (const args of [
      ['task', 'list'],
      ['--json', 'task', 'list'],
      ['init', '--bogus'],
    ]) {
      expect(hzlInProcess(dir, args)).toEqual(hzlProcess(dir, args));
    }
  });
});
