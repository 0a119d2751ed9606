// The board's reducer (src/ui/board-state.ts), without ink: each key sees what the key before it
// did, a chunk of typed text is one key per character, and side effects come out as data.

import { describe, expect, it } from 'vitest';
import type { Status, Task } from '../src/core/task.js';
import {
  type BoardEvent,
  type BoardKey,
  type BoardState,
  boardReducer,
  initialState,
  viewOf,
} from '../src/ui/board-state.js';
import type { BoardTask } from '../src/ui/model.js';

const NOW = new Date('2024-01-15T15:00:00Z');

function card(id: number, title: string, status: Status, author?: string): BoardTask {
  const at = '2024-01-15T10:00:00Z';
  return {
    id,
    title,
    status,
    priority: 0,
    tags: [],
    depends_on: [],
    created: at,
    updated: at,
    ...(author ? { author } : {}),
  };
}

const TASKS = [
  card(1, 'Implement user authentication', 'in_progress', 'claude-code'),
  card(2, 'Add rate limiting', 'ready'),
];
const start = () => initialState({ tasks: TASKS, warnings: [] }, NOW);

/** Each argument is one key event, as ink reports it; plain strings are typed text. */
function keys(state: BoardState, ...events: Array<string | BoardKey>): BoardState {
  return events.reduce<BoardState>((s, e) => {
    const event: BoardEvent =
      typeof e === 'string'
        ? { type: 'key', input: e, key: {}, page: 10 }
        : { type: 'key', input: '', key: e, page: 10 };
    return boardReducer(s, event);
  }, state);
}

describe('board reducer', () => {
  it('starts on the work in progress', () => {
    expect(viewOf(start()).selected?.id).toBe(1);
  });

  it('keys applied one after another each see the state the last one left', () => {
    const s = keys(start(), '/', 'r', 'a', 't', 'e');
    expect(s.prompt).toEqual({ kind: 'text', value: 'rate' });
    expect(s.effects).toEqual([]); // no `r` taken for release, no `a` for the author prompt
    const applied = keys(s, { return: true });
    expect(applied.prompt).toBeUndefined();
    expect(applied.filter).toEqual({ text: 'rate' });
    expect(viewOf(applied).selected?.id).toBe(2);
  });

  it('text delivered in one chunk is one key per character, Enter included', () => {
    const s = keys(start(), '/rate\r');
    expect(s.prompt).toBeUndefined();
    expect(s.filter).toEqual({ text: 'rate' });
    expect(keys(start(), 'aclaude').prompt).toEqual({ kind: 'author', value: 'claude' });
    expect(keys(start(), '/ab\u007fc').prompt).toEqual({ kind: 'text', value: 'ac' }); // backspace
  });

  it('an action asks for the command as an effect and ignores further actions until it answers', () => {
    const s = keys(start(), { leftArrow: true }, 'c', 'c', 'd', 'd'); // each write key is pressed twice
    expect(s.effects).toEqual([{ kind: 'act', action: 'claim', id: 2 }]);
    expect(s.message).toEqual({ text: 'Claiming #2…', error: false });
    const taken = boardReducer(s, { type: 'effectsTaken', count: 1 });
    expect(taken.effects).toEqual([]);
    const done = boardReducer(taken, { type: 'acted', text: 'Claimed #2 for bob', error: false });
    expect(done.busy).toBe(false);
    expect(done.effects).toEqual([{ kind: 'reload' }]);
    expect(keys(done, 'd', 'd').effects).toEqual([{ kind: 'reload' }, { kind: 'act', action: 'complete', id: 2 }]);
  });

  it('Enter opens the task at once, keys go to the detail view, and a late read of a closed task is dropped', () => {
    const open = keys(start(), { return: true });
    expect(open.detail).toEqual({ id: 1, scroll: 0 });
    expect(open.effects).toEqual([{ kind: 'open', id: 1 }]);
    const task: Task = { ...TASKS[0]!, description: '', checkpoints: [], history: [] };
    const read = boardReducer(open, { type: 'read', id: 1, task });
    expect(read.detail?.task).toBe(task);
    expect(boardReducer(open, { type: 'changed' }).effects.at(-1)).toEqual({ kind: 'reload', detailId: 1 });
    const closed = keys(open, 'h');
    expect(closed.detail).toBeUndefined();
    expect(boardReducer(closed, { type: 'read', id: 1, task })).toBe(closed);
    const failed = boardReducer(open, { type: 'read', id: 1, error: 'hzl: task #1 not found' });
    expect(failed.detail).toBeUndefined();
    expect(failed.message).toEqual({ text: 'hzl: task #1 not found', error: true });
  });

  it('q quits once; keys after it change nothing', () => {
    const s = keys(start(), 'q');
    expect(s.effects).toEqual([{ kind: 'exit' }]);
    expect(keys(s, '/', 'c')).toBe(s);
  });

  it('the cursor follows its task to another column', () => {
    const s = keys(start(), { leftArrow: true });
    expect(s.cursor).toEqual({ col: 1, row: 0, id: 2 });
    const moved = boardReducer(s, {
      type: 'loaded',
      data: { tasks: [TASKS[0]!, { ...TASKS[1]!, status: 'in_progress' }], warnings: [] },
      now: NOW,
    });
    expect(viewOf(moved).at).toEqual({ col: 2, row: 1, id: 2 });
  });
});
