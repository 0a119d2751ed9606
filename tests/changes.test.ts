// `hzl changes [BASE]`: what happened to tasks on a feature branch since it left main, read from
// git objects, as Markdown for a pull request or as JSON.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { taskChange } from '../src/core/changes.js';
import type { Task } from '../src/core/task.js';
import { git, hzl, runInProcess, taskFile, tempDir, tempRepo } from './helpers.js';

runInProcess();

function at(time: string, author: string) {
  return { env: { HZL_NOW: `2024-01-15T${time}:00Z`, HZL_AUTHOR: author } };
}

function ok(repo: string, args: string[], options: ReturnType<typeof at>): string {
  const r = hzl(repo, args, options);
  if (r.status !== 0) throw new Error(`hzl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** main has #1 (claimed, one checkpoint) and #2; the feature branch works on both and adds #3. */
function featureBranch(): string {
  const repo = tempRepo();
  ok(repo, ['task', 'add', 'Implement user authentication'], at('09:58', 'alice'));
  ok(repo, ['task', 'add', 'Add rate limiting'], at('09:59', 'alice'));
  ok(repo, ['task', 'claim', '1'], at('10:00', 'claude-code'));
  ok(
    repo,
    ['task', 'checkpoint', '1', 'Designed schema with users, sessions, tokens tables'],
    at('10:30', 'claude-code'),
  );
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'tasks on main');
  git(repo, 'switch', '-q', '-c', 'feature');
  ok(
    repo,
    ['task', 'checkpoint', '1', 'Implemented User model\nwith bcrypt password hashing'],
    at('11:45', 'claude-code'),
  );
  ok(repo, ['task', 'complete', '1'], at('12:00', 'claude-code'));
  ok(repo, ['task', 'claim', '2'], at('13:00', 'codex'));
  ok(
    repo,
    ['task', 'handoff', '2', 'Token bucket half done, see rate.ts', '--to', 'claude-code'],
    at('14:00', 'codex'),
  );
  ok(repo, ['task', 'add', 'Write the API docs'], at('14:30', 'claude-code'));
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'work on the feature');
  return repo;
}

const EXPECTED = `## Tasks

Since \`main\` (merge-base \`MERGEBASE\`): 3 tasks changed (1 created, 1 claimed, 2 checkpoints, \
1 handoff, 1 completed).

### #1 Implement user authentication (done, claude-code)

- 2024-01-15 11:45 **checkpoint** by claude-code: Implemented User model
  with bcrypt password hashing
- 2024-01-15 12:00 **completed** by claude-code (in_progress → done)

### #2 Add rate limiting (ready)

- 2024-01-15 13:00 **claimed** by codex (ready → in_progress, lease 2h)
- 2024-01-15 14:00 **checkpoint** by codex: HANDOFF: Token bucket half done, see rate.ts
  Files: branch feature @ MERGEBASE; changed since the claim: .gitattributes
- 2024-01-15 14:00 **handed off** by codex (in_progress → ready, to claude-code)

### #3 Write the API docs (ready)

- 2024-01-15 14:30 **created** by claude-code (ready)
`;

describe('hzl changes', () => {
  it('lists created tasks, checkpoints with their text, handoffs and completions since main, as Markdown', () => {
    const repo = featureBranch();
    const mergeBase = git(repo, 'merge-base', 'main', 'HEAD').trim();
    const r = hzl(repo, ['changes', 'main'], { env: { EDITOR: 'vi', PAGER: 'less' } }); // an ordinary shell's
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // The handoff's file references name HEAD then (the merge-base) as git abbreviates it.
    const short = git(repo, 'rev-parse', '--short', mergeBase).trim();
    expect(r.stdout).toBe(EXPECTED.replace('MERGEBASE', mergeBase.slice(0, 7)).replace('MERGEBASE', short));
    // Markdown: a heading per task, then list items.
    expect(r.stdout.match(/^### #\d+ /gm)).toHaveLength(3);
    expect(r.stdout).not.toContain('Designed schema'); // that checkpoint was on main already
  });

  it('defaults to main, and --json has kind "changes" with every event', () => {
    const repo = featureBranch();
    expect(hzl(repo, ['changes']).stdout).toBe(hzl(repo, ['changes', 'main']).stdout);
    const r = hzl(repo, ['changes', '--json']);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      schemaVersion: 1,
      kind: 'changes',
      base: 'main',
      head: git(repo, 'rev-parse', 'HEAD').trim(),
    });
    expect(doc.summary).toEqual({ tasks: 3, created: 1, claimed: 1, checkpoints: 2, handoffs: 1, completed: 1 });
    expect(doc.tasks.map((t: { id: number }) => t.id)).toEqual([1, 2, 3]);
    expect(doc.tasks[0].events).toEqual([
      {
        at: '2024-01-15T11:45:00Z',
        author: 'claude-code',
        text: 'Implemented User model\nwith bcrypt password hashing',
        kind: 'checkpoint',
      },
      {
        at: '2024-01-15T12:00:00Z',
        author: 'claude-code',
        text: 'completed (in_progress → done)',
        kind: 'completed',
      },
    ]);
    expect(doc.tasks[2]).toMatchObject({ id: 3, created: true, file: '.hzl/tasks/3-write-the-api-docs.md' });
  });

  it('reads git objects: a fresh clone works, and uncommitted edits are left out with a warning', () => {
    const repo = featureBranch();
    const clone = tempDir();
    git(clone, 'clone', '-q', repo, 'c');
    const dir = join(clone, 'c');
    git(dir, 'switch', '-q', 'feature'); // tracks origin/feature: not a base, so main is used
    const r = hzl(dir, ['changes']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('### #3 Write the API docs (ready)');
    expect(hzl(dir, ['changes', 'origin/main']).stdout).toContain('Implemented User model');

    writeFileSync(
      taskFile(dir, 3),
      `${readFileSync(taskFile(dir, 3), 'utf8')}`.replace('Write the API docs', 'Edited by hand'),
    );
    const dirty = hzl(dir, ['changes', 'origin/main']);
    expect(dirty.status).toBe(0);
    expect(dirty.stdout).not.toContain('Edited by hand');
    expect(dirty.stderr).toContain('uncommitted changes');
  });

  it('sees the upstream as base when it is another branch', () => {
    const repo = featureBranch();
    git(repo, 'branch', '-q', 'release', 'main');
    git(repo, 'switch', '-q', '-c', 'fix', '--track', 'release');
    ok(repo, ['task', 'checkpoint', '2', 'Only on fix'], at('15:00', 'codex'));
    git(repo, 'commit', '-q', '-am', 'fix');
    const r = hzl(repo, ['changes']);
    expect(r.stdout).toContain('Since `release`');
    expect(r.stdout).toContain('Only on fix');
    expect(r.stdout).not.toContain('Write the API docs');
  });

  it('nothing changed: empty output, a message, exit 0', () => {
    const repo = featureBranch();
    git(repo, 'switch', '-q', 'main');
    const r = hzl(repo, ['changes', 'main']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^No task changes on this branch since main/);
    expect(JSON.parse(hzl(repo, ['changes', 'main', '--json']).stdout).tasks).toEqual([]);
  });

  it('an unknown base is not found (3); no git repository is a git failure (6)', () => {
    const repo = featureBranch();
    const unknown = hzl(repo, ['changes', 'no-such-branch']);
    expect(unknown.status).toBe(3);
    expect(unknown.stderr).toBe(
      "hzl: unknown base 'no-such-branch': name a branch, tag or commit, " +
        "like 'hzl changes main' or 'hzl changes origin/main'\n",
    );

    const plain = tempDir();
    expect(hzl(plain, ['init']).status).toBe(0);
    const noGit = hzl(plain, ['changes', 'main']);
    expect(noGit.status).toBe(6);
    expect(noGit.stderr).toMatch(/^hzl: not a git repository: .*\n$/);
    expect(noGit.stderr.split('\n')).toHaveLength(2);
  });
});

describe('taskChange', () => {
  const task = (history: Task['history'], checkpoints: Task['checkpoints'] = []): Task => ({
    id: 1,
    title: 'T',
    status: 'in_progress',
    priority: 0,
    tags: [],
    depends_on: [],
    created: '2024-01-15T09:00:00Z',
    updated: '2024-01-15T09:00:00Z',
    description: '',
    checkpoints,
    history,
  });
  const e = (at: string, author: string, text: string) => ({ at: `2024-01-15T${at}:00Z`, author, text });

  it('compares entries as a multiset, so lines merged in from the base do not count as new', () => {
    const base = task([e('09:00', 'a', 'created (ready)')], [e('09:30', 'a', 'first'), e('09:50', 'a', 'from main')]);
    // After merging main in, the branch's own line sits between lines the base has.
    const head = task(
      [e('09:00', 'a', 'created (ready)')],
      [e('09:30', 'a', 'first'), e('09:40', 'b', 'mine'), e('09:50', 'a', 'from main')],
    );
    const change = taskChange(base, head)!;
    expect(change.events.map((x) => x.text)).toEqual(['mine']);
  });

  it('orders a claim before a checkpoint of the same second, and a completion after it', () => {
    const head = task(
      [
        e('09:00', 'a', 'created (ready)'),
        e('10:00', 'a', 'claimed (ready → in_progress, lease 2h)'),
        e('10:00', 'a', 'completed (in_progress → done)'),
      ],
      [e('10:00', 'a', 'did it')],
    );
    expect(taskChange(undefined, head)!.events.map((x) => x.kind)).toEqual([
      'created',
      'claimed',
      'checkpoint',
      'completed',
    ]);
    expect(taskChange(head, head)).toBeUndefined();
  });
});
