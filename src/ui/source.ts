// What the board needs from the rest of hzl. The board bundle (dist/board.mjs) gets one of these
// from `hzl board` (src/commands/board.ts), so reads and writes go through the same store and
// transitions as every other command, and ink never needs to know where tasks live.

import type { Task } from '../core/task.js';
import type { UnreadableTask } from '../output/unreadable.js';
import type { BoardTask } from './model.js';

export type BoardAction = 'claim' | 'complete' | 'release';

export interface BoardSource {
  /** Every task (archived included: the detail view shows dependencies' statuses). */
  load(): { tasks: BoardTask[]; warnings: string[]; unreadable?: UnreadableTask[] };
  /** The whole task, for the detail view. */
  read(id: number): Task;
  /** Runs the same command as `hzl task claim|complete|release ID`; resolves to its message. */
  act(action: BoardAction, id: number): Promise<string>;
  /** Calls `onChange` when task files change on disk; returns a function that stops watching. */
  watch(onChange: () => void): () => void;
  now(): Date;
}
