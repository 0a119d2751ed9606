// The Task as the rest of the program sees it. The file layout lives in src/format/.

export const STATUSES = ['backlog', 'ready', 'in_progress', 'blocked', 'done', 'archived'] as const;
export type Status = (typeof STATUSES)[number];

export const MIN_PRIORITY = 0;
export const MAX_PRIORITY = 3;

/** One line of the Checkpoints or History section. */
export interface Entry {
  at: string; // UTC ISO-8601 with seconds, e.g. 2024-01-15T10:30:00Z
  author: string;
  text: string;
}

export interface TaskFields {
  id: number;
  title: string;
  status: Status;
  priority: number;
  author?: string;
  handoff_to?: string;
  tags: string[];
  depends_on: number[];
  parent?: number;
  lease_until?: string;
  created: string;
  updated: string;
}

export interface Task extends TaskFields {
  description: string;
  checkpoints: Entry[];
  history: Entry[];
}

export function isStatus(value: unknown): value is Status {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}
