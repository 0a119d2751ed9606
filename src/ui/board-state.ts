// The board's state and every change to it, as one pure reducer. Keys are applied to the state
// they find, never to a picture taken at the last draw: keys typed faster than the board draws
// (or delivered in one chunk while hzl was busy) each see what the key before them did.
// What the reducer cannot do itself (read a file, run a claim, quit) it asks for as an Effect;
// the component runs those and reports back with another event.

import type { Task } from '../core/task.js';
import { detailLines } from './detail.js';
import { type BoardFilter, type BoardTask, type Column, columnsOf, oneLine } from './model.js';
import type { BoardAction } from './source.js';

export interface Cursor {
  col: number;
  row: number;
  id?: number; // the task under the cursor: it is followed when it moves (claimed, completed)
}

export interface Prompt {
  kind: 'text' | 'author';
  value: string;
}

export interface Message {
  text: string;
  error: boolean;
}

/** The open task; `task` is missing until it has been read. */
export interface Detail {
  id: number;
  task?: Task;
  scroll: number;
}

export interface Confirm {
  key: string;
  action: BoardAction;
  id: number;
}

export interface BoardData {
  tasks: BoardTask[];
  warnings: string[];
}

export type Effect =
  | { kind: 'exit' }
  | { kind: 'open'; id: number }
  | { kind: 'act'; action: BoardAction; id: number }
  | { kind: 'reload'; detailId?: number };

export interface BoardState {
  data: BoardData;
  now: Date;
  filter: BoardFilter;
  prompt?: Prompt;
  cursor?: Cursor;
  detail?: Detail;
  message?: Message;
  /** A write key was pressed once: the same key again runs it, any other key cancels. */
  confirm?: Confirm;
  /** A claim, complete or release is running: further action keys are ignored until it ends. */
  busy: boolean;
  quit: boolean;
  /** Work for the component, oldest first. */
  effects: Effect[];
}

/** The keys the board reads (ink's Key has these and more). */
export interface BoardKey {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  return?: boolean;
  escape?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
}

export type BoardEvent =
  /** `page`: how many lines PgUp/PgDn scroll the detail view. */
  | { type: 'key'; input: string; key: BoardKey; page: number }
  | { type: 'loaded'; data: BoardData; now: Date; error?: string }
  | { type: 'read'; id: number; task?: Task; error?: string }
  | { type: 'acted'; text: string; error: boolean }
  | { type: 'changed' }
  | { type: 'tick'; now: Date }
  | { type: 'effectsTaken'; count: number };

export function initialState(data: BoardData, now: Date, error?: string): BoardState {
  return {
    data,
    now,
    filter: {},
    busy: false,
    quit: false,
    effects: [],
    ...(error ? { message: { text: error, error: true } } : {}),
  };
}

export function boardReducer(state: BoardState, event: BoardEvent): BoardState {
  switch (event.type) {
    case 'key':
      return keysOf(event.input, event.key).reduce((s, k) => onKey(s, k.input, k.key, event.page), state);
    case 'loaded':
      return {
        ...state,
        data: event.data,
        now: event.now,
        ...(event.error ? { message: { text: event.error, error: true } } : {}),
      };
    case 'read':
      return onRead(state, event);
    case 'acted':
      return withEffect({ ...state, busy: false, message: { text: event.text, error: event.error } }, reloadOf(state));
    case 'changed':
      return withEffect(state, reloadOf(state));
    case 'tick':
      return { ...state, now: event.now };
    case 'effectsTaken':
      return { ...state, effects: state.effects.slice(event.count) };
  }
}

/** What the board draws from the state: the columns under the filter, the cursor, the task. */
export function viewOf(state: BoardState): {
  filter: BoardFilter;
  columns: Column[];
  at: Cursor;
  selected?: BoardTask;
} {
  const { prompt, filter } = state;
  const active = prompt ? { ...filter, [prompt.kind]: prompt.value } : filter;
  const columns = columnsOf(state.data.tasks, active);
  const at = resolveCursor(state.cursor, columns);
  const selected = columns[at.col]?.tasks[at.row];
  return { filter: active, columns, at, ...(selected ? { selected } : {}) };
}

/**
 * One key per event. Text without escape codes arrives as one chunk when it was typed (or pasted)
 * faster than it was read: on the board each character is a key of its own, Enter included.
 */
function keysOf(input: string, key: BoardKey): Array<{ input: string; key: BoardKey }> {
  const chars = [...input];
  if (chars.length <= 1 || key.ctrl || key.meta || key.escape) return [{ input, key }];
  return chars.map((c) => {
    if (c === '\r' || c === '\n') return { input: '', key: { return: true } };
    if (c === '\u007f' || c === '\b') return { input: '', key: { backspace: true } };
    return { input: c, key: {} };
  });
}

const ACTION_KEYS: Record<string, BoardAction> = { c: 'claim', d: 'complete', r: 'release' };
const actionFor = (input: string): BoardAction | undefined =>
  Object.hasOwn(ACTION_KEYS, input) ? ACTION_KEYS[input] : undefined;
const DOING: Record<BoardAction, string> = { claim: 'Claiming', complete: 'Completing', release: 'Releasing' };
const DONE: Record<BoardAction, string> = { claim: 'claimed', complete: 'completed', release: 'released' };

function onKey(state: BoardState, input: string, key: BoardKey, page: number): BoardState {
  if (state.quit) return state; // keys after `q` are not the board's any more
  if (state.confirm) return onConfirmKey(state, state.confirm, input, key);
  if (state.prompt) return onPromptKey(state, state.prompt, input, key);
  if (input === 'q') return withEffect({ ...state, quit: true }, { kind: 'exit' });
  if (state.detail) return onDetailKey(state, state.detail, input, key, page);
  if (key.escape) return withEffect({ ...state, quit: true }, { kind: 'exit' });
  const view = viewOf(state);
  const action = actionFor(input);
  if (key.leftArrow || input === 'h') return move(state, view, -1, 0);
  if (key.rightArrow || input === 'l') return move(state, view, 1, 0);
  if (key.upArrow || input === 'k') return move(state, view, 0, -1);
  if (key.downArrow || input === 'j') return move(state, view, 0, 1);
  if (key.return && view.selected) return open(state, view.selected.id);
  if (input === '/') return { ...state, prompt: { kind: 'text', value: state.filter.text ?? '' } };
  if (input === 'a') return { ...state, prompt: { kind: 'author', value: state.filter.author ?? '' } };
  if (action && view.selected) return ask(state, input, action, view.selected.id);
  return state;
}

/** The key that asked again runs the write; any other key only cancels it. */
function onConfirmKey(state: BoardState, confirm: Confirm, input: string, key: BoardKey): BoardState {
  const { confirm: _asked, ...rest } = state;
  if (input === confirm.key && !key.ctrl && !key.meta) return act(rest, confirm.action, confirm.id);
  return { ...rest, message: { text: `Cancelled: #${confirm.id} was not ${DONE[confirm.action]}`, error: false } };
}

function onPromptKey(state: BoardState, prompt: Prompt, input: string, key: BoardKey): BoardState {
  const { prompt: _closed, ...rest } = state;
  if (key.escape) return { ...rest, filter: { ...state.filter, [prompt.kind]: undefined } };
  if (key.return) return { ...rest, filter: { ...state.filter, [prompt.kind]: prompt.value.trim() || undefined } };
  if (key.backspace || key.delete)
    return { ...state, prompt: { ...prompt, value: [...prompt.value].slice(0, -1).join('') } };
  if (input && !key.ctrl && !key.meta) return { ...state, prompt: { ...prompt, value: prompt.value + oneLine(input) } };
  return state;
}

function onDetailKey(state: BoardState, detail: Detail, input: string, key: BoardKey, page: number): BoardState {
  const action = actionFor(input);
  if (key.escape || key.return || key.backspace || input === 'h' || key.leftArrow) {
    const { detail: _closed, ...rest } = state;
    return rest;
  }
  if (key.downArrow || input === 'j') return scrollBy(state, detail, 1);
  if (key.upArrow || input === 'k') return scrollBy(state, detail, -1);
  if (key.pageDown || input === ' ') return scrollBy(state, detail, Math.max(1, page));
  if (key.pageUp) return scrollBy(state, detail, -Math.max(1, page));
  if (action) return ask(state, input, action, detail.id);
  return state;
}

function scrollBy(state: BoardState, detail: Detail, n: number): BoardState {
  if (!detail.task) return state;
  const byId = new Map(state.data.tasks.map((t) => [t.id, t]));
  const last = Math.max(0, detailLines(detail.task, byId).length - 1);
  return { ...state, detail: { ...detail, scroll: clamp(detail.scroll + n, 0, last) } };
}

function move(state: BoardState, { columns, at }: ReturnType<typeof viewOf>, dCol: number, dRow: number): BoardState {
  let col = at.col;
  if (dCol !== 0) {
    // Sideways to the next column that has tasks; empty ones have nothing to select.
    let next = at.col + dCol;
    while (next >= 0 && next < columns.length && columns[next]!.tasks.length === 0) next += dCol;
    if (next >= 0 && next < columns.length) col = next;
  }
  const tasks = columns[col]!.tasks;
  const row = clamp(dCol !== 0 ? at.row : at.row + dRow, 0, Math.max(0, tasks.length - 1));
  const id = tasks[row]?.id;
  return { ...state, cursor: id === undefined ? { col, row } : { col, row, id } };
}

function open(state: BoardState, id: number): BoardState {
  const { message: _shown, ...rest } = state;
  return withEffect({ ...rest, detail: { id, scroll: 0 } }, { kind: 'open', id });
}

/** A write may also commit: it runs only when its key is pressed a second time. */
function ask(state: BoardState, key: string, action: BoardAction, id: number): BoardState {
  if (state.busy) return state; // one write at a time: keys are ignored until it answers
  const text = `Press ${key} again to ${action} #${id}; any other key cancels`;
  return { ...state, confirm: { key, action, id }, message: { text, error: false } };
}

function act(state: BoardState, action: BoardAction, id: number): BoardState {
  if (state.busy) return state; // one write at a time: the next key waits for this one's answer
  return withEffect(
    { ...state, busy: true, message: { text: `${DOING[action]} #${id}…`, error: false } },
    { kind: 'act', action, id },
  );
}

/** A task read for the detail view (on Enter, or after a change on disk). */
function onRead(state: BoardState, event: Extract<BoardEvent, { type: 'read' }>): BoardState {
  if (state.detail?.id !== event.id) return state; // closed (or another opened) meanwhile
  if (event.task) return { ...state, detail: { ...state.detail, task: event.task } };
  const { detail: _gone, ...rest } = state;
  return { ...rest, message: { text: event.error ?? `hzl: task #${event.id} could not be read`, error: true } };
}

function reloadOf(state: BoardState): Effect {
  return state.detail ? { kind: 'reload', detailId: state.detail.id } : { kind: 'reload' };
}

function withEffect(state: BoardState, effect: Effect): BoardState {
  return { ...state, effects: [...state.effects, effect] };
}

function resolveCursor(cursor: Cursor | undefined, columns: Column[]): Cursor {
  if (cursor?.id !== undefined) {
    for (let c = 0; c < columns.length; c++) {
      const row = columns[c]!.tasks.findIndex((t) => t.id === cursor.id);
      if (row !== -1) return { col: c, row, id: cursor.id };
    }
  }
  if (!cursor) {
    // Start where the work is: the first column with tasks, preferring in progress, then ready.
    const order = ['in_progress', 'ready', 'blocked', 'backlog', 'done'];
    const first = order
      .map((s) => columns.findIndex((c) => c.status === s))
      .find((c) => c !== -1 && columns[c]!.tasks.length > 0);
    return { col: first ?? 0, row: 0 };
  }
  const col = clamp(cursor.col, 0, columns.length - 1);
  return { col, row: clamp(cursor.row, 0, Math.max(0, columns[col]!.tasks.length - 1)) };
}

export function clamp(n: number, lo: number, hi: number): number {
  return Math.min(Math.max(n, lo), Math.max(lo, hi));
}
