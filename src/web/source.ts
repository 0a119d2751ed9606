// What the web view needs from the rest of hzl. `hzl serve` (src/commands/serve.ts) builds one
// from the store and the task commands, so the pages read what the CLI reads and every write
// from a page runs the very command a person would type: same locks, History lines, commit mode.

import type { Entry, Status, Task } from '../core/task.js';
import type { BoardTask } from '../ui/model.js';

export const WEB_ACTIONS = ['claim', 'release', 'complete', 'block', 'checkpoint'] as const;
export type WebAction = (typeof WEB_ACTIONS)[number];

export interface Related {
  id: number;
  status?: Status; // undefined: the task does not exist
  title?: string;
}

export interface TaskPage {
  task: Task;
  dependencies: Related[];
  subtasks: Related[];
  parent?: Related;
  /** A claim on the shared remote held in another clone (or by another author) than the file says. */
  claimElsewhere?: { author: string; clone: string; lease_until: string; expired: boolean };
}

export interface SearchHit {
  id: number;
  title: string;
  status: Status;
  author?: string;
  matched: string[]; // where the phrase was found: title, description, checkpoints
  checkpoints: Entry[]; // the checkpoints that matched
}

export interface ChangedTask {
  id: number;
  title: string;
  status: string;
  author: string | null;
  created: boolean;
  removed: boolean;
  events: Array<{ at: string; author: string; text: string; kind: string }>;
}

export interface ChangesView {
  base: string;
  mergeBase: string;
  tasks: ChangedTask[];
  warnings: string[];
}

export interface WebSource {
  /** Every task as a card (archived included; the board leaves them out). */
  load(): { tasks: BoardTask[]; warnings: string[] };
  /** One task with its links; throws hzl's not-found error for a missing id. */
  read(id: number): TaskPage;
  search(text: string): Promise<{ hits: SearchHit[]; warnings: string[] }>;
  changes(base?: string): Promise<ChangesView>;
  /** Runs `hzl task <action> ID [text]`; resolves to the message the CLI prints. */
  act(action: WebAction, id: number, text?: string): Promise<string>;
  /** Calls `onChange` when task files change; returns a function that stops watching. */
  watch(onChange: () => void): () => void;
  now(): Date;
}
