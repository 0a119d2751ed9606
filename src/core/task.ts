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

/** A task file's name: its id, then optionally `-` and a slug, then `.md` (`12-add-login.md`). */
const TASK_FILE_NAME = /^([1-9]\d{0,8})(?:-[^/\\]*)?\.md$/;

/** The id a task file's name gives, or undefined when the name is not a task file's. */
export function taskIdOfFileName(name: string): number | undefined {
  const m = TASK_FILE_NAME.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** `7-fix-login.md`, or `7.md` for a title with nothing to slug. */
export function taskFileName(id: number, slug: string): string {
  return slug ? `${id}-${slug}.md` : `${id}.md`;
}

/** The slug a new task's file name takes from its title: ASCII letters and digits, dashes between, 50 at most. */
export function slugify(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/, '');
}

export function isStatus(value: unknown): value is Status {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}
