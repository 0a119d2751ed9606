// Each --json shape of docs/json.md, through the CLI.

import { describe, expect, it } from 'vitest';
import { hzl, runInProcess, tempRepo } from './helpers.js';

runInProcess();

const NOW = { HZL_NOW: '2024-01-15T10:30:00Z', HZL_AUTHOR: 'alice' };

function json(repo: string, args: string[], env: NodeJS.ProcessEnv = NOW) {
  const r = hzl(repo, [...args, '--json'], { env });
  expect(r.stdout.endsWith('}\n')).toBe(true);
  return { ...r, doc: JSON.parse(r.stdout) };
}

const TASK_KEYS = [
  'id',
  'title',
  'status',
  'priority',
  'author',
  'handoff_to',
  'tags',
  'depends_on',
  'parent',
  'lease_until',
  'created',
  'updated',
  'file',
];

describe('--json', () => {
  it('task: show and every write', () => {
    const repo = tempRepo();
    const add = json(repo, [
      'task',
      'add',
      'Implement user authentication',
      '-p',
      '2',
      '-t',
      'auth,backend',
      '-d',
      'Users log in.',
    ]);
    expect(add.status).toBe(0);
    expect(add.doc).toMatchObject({ schemaVersion: 1, kind: 'task', action: 'add', changed: true });
    expect(add.doc.task).toEqual({
      id: 1,
      title: 'Implement user authentication',
      status: 'ready',
      priority: 2,
      author: null,
      handoff_to: null,
      tags: ['auth', 'backend'],
      depends_on: [],
      parent: null,
      lease_until: null,
      created: '2024-01-15T10:30:00Z',
      updated: '2024-01-15T10:30:00Z',
      file: '.hzl/tasks/1-implement-user-authentication.md',
      description: 'Users log in.',
      checkpoints: [],
      history: [{ at: '2024-01-15T10:30:00Z', author: 'alice', text: 'created (ready)' }],
      extra: {},
    });

    const claim = json(repo, ['task', 'claim', '1', '--author', 'claude-code']);
    expect(claim.doc).toMatchObject({ kind: 'task', action: 'claim', changed: true });
    expect(claim.doc.task).toMatchObject({
      status: 'in_progress',
      author: 'claude-code',
      lease_until: '2024-01-15T12:30:00Z',
    });

    const cp = json(repo, ['task', 'checkpoint', '1', 'line one\nline two'], { HZL_NOW: '2024-01-15T11:00:00Z' });
    expect(cp.doc.task.checkpoints).toEqual([
      { at: '2024-01-15T11:00:00Z', author: 'claude-code', text: 'line one\nline two' },
    ]);
    expect(cp.doc.task.lease_until).toBe('2024-01-15T13:00:00Z');

    const show = json(repo, ['task', 'show', '1']);
    expect(show.doc.kind).toBe('task');
    expect(show.doc).not.toHaveProperty('action');
    expect(Object.keys(show.doc.task)).toEqual([
      ...TASK_KEYS,
      'description',
      'checkpoints',
      'history',
      'extra',
      'subtasks',
    ]);
    expect(show.doc.task.subtasks).toEqual([]);

    // The holder completes it (alice would need --force for claude-code's live claim).
    const done = json(repo, ['task', 'complete', '1'], { ...NOW, HZL_AUTHOR: 'claude-code' });
    expect(done.doc).toMatchObject({ action: 'complete', changed: true, task: { status: 'done', lease_until: null } });
    const again = json(repo, ['task', 'complete', '1']);
    expect(again.status).toBe(0);
    expect(again.doc).toMatchObject({ action: 'complete', changed: false });
  });

  it('task-list: summaries with the last checkpoint; empty is [] and exit 0', () => {
    const repo = tempRepo();
    const empty = json(repo, ['task', 'list']);
    expect(empty.status).toBe(0);
    expect(empty.doc).toEqual({ schemaVersion: 1, kind: 'task-list', tasks: [], problems: [] });

    json(repo, ['task', 'add', 'First']);
    json(repo, ['task', 'add', 'Second']);
    json(repo, ['task', 'checkpoint', '2', 'halfway']);
    const list = json(repo, ['task', 'list']);
    expect(list.doc.kind).toBe('task-list');
    expect(list.doc.tasks.map((t: { id: number }) => t.id)).toEqual([1, 2]);
    expect(Object.keys(list.doc.tasks[0])).toEqual([...TASK_KEYS, 'last_checkpoint', 'extra']);
    expect(list.doc.tasks[0].last_checkpoint).toBeNull();
    expect(list.doc.tasks[1].last_checkpoint).toEqual({ at: '2024-01-15T10:30:00Z', author: 'alice', text: 'halfway' });
  });

  it('task-history', () => {
    const repo = tempRepo();
    json(repo, ['task', 'add', 'First']);
    json(repo, ['task', 'claim', '1', '--author', 'bob', '--lease', '30m']);
    const h = json(repo, ['task', 'history', '1']);
    expect(h.doc).toEqual({
      schemaVersion: 1,
      kind: 'task-history',
      id: 1,
      history: [
        { at: '2024-01-15T10:30:00Z', author: 'alice', text: 'created (ready)' },
        { at: '2024-01-15T10:30:00Z', author: 'bob', text: 'claimed (ready → in_progress, lease 30m)' },
      ],
      commits: [], // nothing committed yet
    });
  });

  it('init', () => {
    const repo = tempRepo({ init: false });
    const first = json(repo, ['init']);
    expect(first.doc).toMatchObject({ schemaVersion: 1, kind: 'init', root: repo, git: true });
    expect(first.doc.created).toContain('.hzl/config.yml');
    const second = json(repo, ['init']);
    expect(second.doc.created).toEqual([]);
  });

  it('error: one JSON document on stderr and nothing else, also for usage errors', () => {
    const repo = tempRepo();
    for (const args of [
      ['task', 'show', '7', '--json'],
      ['--json', 'task', 'list', '--bogus'],
      ['completion', '--json'],
    ]) {
      const r = hzl(repo, args);
      expect(r.stdout).toBe('');
      expect(JSON.parse(r.stderr).error.exitCode).toBe(r.status);
    }
    const r = hzl(repo, ['task', 'show', '7', '--json']);
    expect(r.status).toBe(3);
    expect(JSON.parse(r.stderr)).toEqual({
      schemaVersion: 1,
      kind: 'error',
      error: { code: 'not_found', exitCode: 3, message: expect.stringMatching(/^task #7 not found/) },
    });
  });
});
