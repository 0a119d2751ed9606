// A task id with no file: the error says why when hzl knows, deleted (from its tombstone) or
// renumbered (from the History line of the task it became), so an agent holding an old number
// learns the new one instead of guessing.

import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hzl, runInProcess, taskFile, tempRepo } from './helpers.js';

runInProcess();

const env = { env: { HZL_NOW: '2026-12-01T09:00:00Z', HZL_AUTHOR: 'alice' } };

function ok(repo: string, args: string[]) {
  const r = hzl(repo, args, env);
  if (r.status !== 0) throw new Error(`hzl ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r;
}

describe('a task that is not there', () => {
  it('was deleted: show and checkpoint say when, by whom, and where the record is', () => {
    const repo = tempRepo();
    ok(repo, ['task', 'add', 'Add login']);
    ok(repo, ['task', 'add', 'Add logout']);
    ok(repo, ['task', 'delete', '1', '--force']);
    for (const args of [
      ['task', 'show', '1'],
      ['task', 'checkpoint', '1', 'more'],
    ]) {
      const r = hzl(repo, args, env);
      expect(r.status).toBe(3);
      expect(r.stderr).toBe(
        "hzl: task #1 was deleted ('Add login' on 2026-12-01T09:00:00Z by alice: .hzl/deleted/1.yml); " +
          'it is not coming back\n',
      );
    }
  });

  it('was renumbered: the error names the new number and the command to run', () => {
    const repo = tempRepo();
    ok(repo, ['task', 'add', 'Add login']);
    ok(repo, ['task', 'add', 'Add logout']);
    // As `hzl sync` leaves a task added offline whose id another clone took first.
    const path = taskFile(repo, 2);
    const text = readFileSync(path, 'utf8');
    const line =
      '- [2026-12-01T09:30:00Z] alice: renumbered from #12 (added offline; another clone took #12 on the remote first)\n';
    writeFileSync(path, text.replace('\n## Checkpoints', `${line}\n## Checkpoints`)); // at History's end
    const r = hzl(repo, ['task', 'show', '12'], env);
    expect(r.stderr).toBe("hzl: task #12 was renumbered to #2: run 'hzl task show 2'\n");
    expect(r.status).toBe(3);
    // #1 names no renumber of #1 (nor does "#12" count as "#1"): the plain message.
    const plain = hzl(repo, ['task', 'show', '7'], env);
    expect(plain.stderr).toBe("hzl: task #7 not found: 'hzl task list' shows the tasks there are\n");
    const one = hzl(repo, ['task', 'show', '1'], env);
    expect(one.status).toBe(0);
  });

  it('prints no raw control characters from a hand-edited tombstone', () => {
    const repo = tempRepo();
    ok(repo, ['task', 'add', 'Add login']);
    ok(repo, ['task', 'delete', '1', '--force']);
    writeFileSync(`${repo}/.hzl/deleted/1.yml`, 'id: 1\ntitle: "bad\\e[31mtitle"\nby: "x\\u0007"\n');
    const r = hzl(repo, ['task', 'show', '1'], env);
    expect(r.status).toBe(3);
    expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(r.stderr).toContain('bad\\e[31mtitle');
  });
});
