// Why a task id has no file, as the not-found error says it: deleted (its tombstone says when and
// by whom), renumbered (another task's History says `renumbered from #N`), or never there. Only
// the error path pays for this: the tombstone is one small file, the renumber search reads the
// task files once, which a user who named a missing id waits for gladly rather than guess.

import { readFileSync } from 'node:fs';
import { NotFoundError } from '../core/errors.js';
import { printable } from '../core/printable.js';
import { taskIdOfFileName } from '../core/task.js';
import { loadYaml } from '../format/yaml.js';
import type { Project } from './project.js';
import type { TaskFolder } from './task-folder.js';
import { tombstonePath } from './tombstones.js';

export function missingTaskError(project: Project, folder: TaskFolder, id: number): NotFoundError {
  const deleted = deletedNote(project, id);
  if (deleted) return new NotFoundError(`task #${id} was deleted${deleted}; it is not coming back`);
  const now = renumberedTo(folder, id);
  if (now.length) {
    const ids = now.map((n) => `#${n}`).join(' or ');
    return new NotFoundError(`task #${id} was renumbered to ${ids}: run 'hzl task show ${now[0]}'`);
  }
  return new NotFoundError(`task #${id} not found: 'hzl task list' shows the tasks there are`);
}

/** ` (TITLE, on DATE by WHO: .hzl/deleted/N.yml)` from the tombstone, or undefined when there is none. */
function deletedNote(project: Project, id: number): string | undefined {
  let stone: unknown;
  try {
    stone = loadYaml(readFileSync(tombstonePath(project, id), 'utf8'));
  } catch {
    return undefined;
  }
  if (!stone || typeof stone !== 'object') return ` (.hzl/deleted/${id}.yml)`;
  const { title, deleted, by } = stone as Record<string, unknown>;
  const said = (v: unknown) => (typeof v === 'string' && v !== '' ? printable(v) : undefined);
  const what = [said(title) && `'${said(title)}'`, said(deleted) && `on ${said(deleted)}`, said(by) && `by ${said(by)}`]
    .filter(Boolean)
    .join(' ');
  return ` (${what ? `${what}: ` : ''}.hzl/deleted/${id}.yml)`;
}

/** The ids of the tasks whose History says they were renumbered from `id`, lowest first. */
function renumberedTo(folder: TaskFolder, id: number): number[] {
  let names: string[];
  try {
    names = [...folder.byId().values()].flat();
  } catch {
    return [];
  }
  const line = new RegExp(`^- \\[[^\\]\\n]*\\] [^\\n]*?: renumbered from #${id}(?!\\d)`, 'm');
  const found = new Set<number>();
  const texts = folder.readEach(names);
  for (let i = 0; i < names.length; i++) {
    const bytes = texts[i];
    const now = taskIdOfFileName(names[i]!);
    if (bytes && now !== undefined && now !== id && line.test(bytes.toString('utf8'))) found.add(now);
  }
  return [...found].sort((a, b) => a - b);
}
