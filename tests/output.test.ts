// Human output: the aligned table on a terminal, tab-separated when piped, colour rules.

import { describe, expect, it } from 'vitest';
import type { Task } from '../src/core/task.js';
import { makeStyle, colorWanted } from '../src/output/style.js';
import { renderList, renderShow } from '../src/output/task-view.js';

function task(id: number, over: Partial<Task> = {}): Task {
  return {
    id,
    title: `Task ${id}`,
    status: 'ready',
    priority: 0,
    tags: [],
    depends_on: [],
    created: '2024-01-15T10:00:00Z',
    updated: '2024-01-15T10:00:00Z',
    description: '',
    checkpoints: [],
    history: [],
    ...over,
  };
}

describe('list', () => {
  const tasks = [task(1, { status: 'in_progress', author: 'claude-code', priority: 2 }), task(12, { title: 'Short' })];

  it('is an aligned table with a header on a terminal', () => {
    expect(renderList(tasks, true, makeStyle(false))).toBe(
      [
        'ID  STATUS       PRI  AUTHOR       TITLE',
        '1   in_progress  2    claude-code  Task 1',
        '12  ready        0    -            Short',
        '',
      ].join('\n'),
    );
  });

  it('is one tab-separated line per task when piped', () => {
    expect(renderList(tasks, false, makeStyle(false))).toBe(
      '1\tin_progress\t2\tclaude-code\tTask 1\n12\tready\t0\t-\tShort\n',
    );
  });
});

describe('show', () => {
  it('adds further fields only when set, in a fixed order', () => {
    const text = renderShow(
      task(1, {
        status: 'in_progress',
        author: 'claude-code',
        priority: 2,
        tags: ['auth', 'backend'],
        depends_on: [3],
        lease_until: '2024-01-15T16:20:00Z',
        parent: 2,
        description: 'First line\nSecond line',
        checkpoints: [
          { at: '2024-01-15T10:30:00Z', author: 'claude-code', text: 'Designed schema' },
          { at: '2024-01-15T11:45:00Z', author: 'agent-2', text: 'Two\nlines' },
        ],
      }),
      {
        style: makeStyle(false),
        dependencies: [{ id: 3, status: 'done' }],
        parent: { id: 2, status: 'ready', title: 'Parent' },
      },
    );
    expect(text).toBe(
      [
        'Task #1: Task 1',
        'Status: in_progress',
        'Author: claude-code',
        'Priority: 2',
        'Tags: auth, backend',
        'Depends on: #3 (done)',
        'Lease until: 2024-01-15 16:20',
        'Parent: #2 (ready) Parent',
        'Description:',
        '  First line',
        '  Second line',
        '',
        'Checkpoints:',
        '  [2024-01-15 10:30] Designed schema',
        '  [2024-01-15 11:45] (agent-2) Two',
        '    lines',
        '',
      ].join('\n'),
    );
  });
});

describe('colour', () => {
  it('only on a terminal, never with NO_COLOR, --no-color or TERM=dumb', () => {
    expect(colorWanted(true, {}, undefined)).toBe(true);
    expect(colorWanted(false, {}, undefined)).toBe(false);
    expect(colorWanted(true, { NO_COLOR: '1' }, undefined)).toBe(false);
    expect(colorWanted(true, {}, false)).toBe(false);
    expect(colorWanted(true, { TERM: 'dumb' }, undefined)).toBe(false);
    expect(makeStyle(true).bold('x')).toBe('\u001b[1mx\u001b[22m');
    expect(makeStyle(false).status('done')).toBe('done');
  });
});
