// Smaller shapes: doctor's findings, History as typed events, one sanitiser, one "ago".
// Each refactor is pinned here through the CLI (what users see) and through the pure functions.

import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { problem, problemJson, unfixed } from '../src/core/findings.js';
import { clearMismatchedClaim } from '../src/core/health.js';
import type { Task } from '../src/core/task.js';
import { hzl, readTask, taskFile, tempDir, tempRepo } from './helpers.js';

const AT = (iso: string, author = 'agent') => ({ env: { HZL_NOW: iso, HZL_AUTHOR: author } });

function task(fields: Partial<Task>): Task {
  const base: Task = {
    id: 1,
    title: 'T',
    status: 'ready',
    priority: 2,
    tags: [],
    depends_on: [],
    created: '2024-01-01T10:00:00Z',
    updated: '2024-01-01T10:00:00Z',
    description: '',
    checkpoints: [],
    history: [],
  } as unknown as Task;
  return { ...base, ...fields };
}

describe('doctor findings', () => {
  it('a problem is listed in JSON as code, message, file, fixed; line and severity stay inside', () => {
    const f = problem('malformed-line', '.hzl/tasks/1-a.md:7: bad', { file: '.hzl/tasks/1-a.md', line: 7 });
    expect(Object.keys(problemJson(f))).toEqual(['code', 'message', 'file', 'fixed']);
    expect(problemJson(problem('cycle', 'tasks #1 → #2'))).toEqual({ code: 'cycle', message: 'tasks #1 → #2', fixed: false });
    expect(unfixed([f, problem('x', 'y', {}, true)])).toEqual([f]);
  });

  it('doctor --json: problems as objects, notes as their lines, in the order of the checks', () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'Leased'], AT('2024-01-01T10:00:00Z'));
    expect(hzl(repo, ['task', 'claim', '1', '--lease', '1h'], AT('2024-01-01T10:00:00Z')).status).toBe(0);
    hzl(repo, ['task', 'add', 'Dangling', '--depends-on', '1'], AT('2024-01-01T10:00:00Z'));
    writeFileSync(taskFile(repo, 2), readTask(repo, 2).replace('depends_on: [1]', 'depends_on: [9]'));
    const r = hzl(repo, ['doctor', '--json'], AT('2024-01-02T10:00:00Z'));
    expect(r.status).toBe(5);
    const doc = JSON.parse(r.stdout);
    expect(doc.problems).toEqual([
      {
        code: 'dangling-link',
        message: "task #2: depends_on names #9, which does not exist: 'hzl task update 2 --depends-on …' to fix it",
        fixed: false,
      },
    ]);
    expect(doc.notes).toEqual(["task #1: agent's lease expired at 2024-01-01 11:00 (hzl task stuck)"]);
  });

  it('doctor --ci reports links on hzl paths as it reports every other problem: annotations under GitHub Actions', () => {
    const repo = tempRepo();
    const outside = tempDir();
    rmSync(join(repo, '.hzl/tasks'), { recursive: true });
    symlinkSync(outside, join(repo, '.hzl/tasks'));
    const r = hzl(repo, ['doctor', '--ci'], { env: { GITHUB_ACTIONS: 'true' } });
    expect(r.status).toBe(5);
    expect(r.stdout).toMatch(/^::error file=\.hzl\/tasks,title=hzl linked-path::\.hzl\/tasks is a symbolic link; /);
    expect(r.stderr).toBe('hzl: 1 problem found: see above\n');
  });

  it('the claim repair is pure: clears only what can go, with one History line, else returns the task itself', () => {
    const act = { actor: 'doc', now: new Date('2024-01-02T00:00:00Z') };
    const leftover = task({ status: 'ready', author: 'ana', lease_until: '2024-01-01T12:00:00Z' });
    const fixed = clearMismatchedClaim(leftover, act);
    expect(fixed.author).toBeUndefined();
    expect(fixed.lease_until).toBeUndefined();
    expect(fixed.history).toEqual([
      { at: '2024-01-02T00:00:00Z', author: 'doc', text: 'cleared author ana and the lease: the task is ready, not in progress (hzl doctor)' },
    ]);
    const fine = task({ status: 'in_progress', author: 'ana' });
    expect(clearMismatchedClaim(fine, act)).toBe(fine);
  });
});
