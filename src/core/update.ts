// `hzl task update`: field edits with one History line naming what changed.

import { ConflictError } from './errors.js';
import type { Task } from './task.js';
import { type Act, withHistory } from './transitions.js';

export interface FieldChanges {
  title?: string;
  description?: string;
  priority?: number;
  tags?: string[];
  addTags?: string[];
  removeTags?: string[];
  dependsOn?: number[];
  parent?: number | null; // null clears
}

export function updateFields(task: Task, changes: FieldChanges, act: Act): Task {
  const next: Task = { ...task };
  const said: string[] = [];
  if (changes.title !== undefined && changes.title !== task.title) {
    next.title = changes.title;
    said.push(`title (was: ${task.title})`);
  }
  if (changes.description !== undefined && changes.description !== task.description) {
    next.description = changes.description;
    said.push('description');
  }
  if (changes.priority !== undefined && changes.priority !== task.priority) {
    next.priority = changes.priority;
    said.push(`priority ${task.priority} → ${changes.priority}`);
  }
  let tags = changes.tags ?? task.tags;
  if (changes.addTags) tags = [...tags, ...changes.addTags.filter((t) => !tags.includes(t))];
  if (changes.removeTags) tags = tags.filter((t) => !changes.removeTags!.includes(t));
  if (tags.join(',') !== task.tags.join(',')) {
    next.tags = tags;
    said.push(`tags [${task.tags.join(', ')}] → [${tags.join(', ')}]`);
  }
  if (changes.dependsOn !== undefined && changes.dependsOn.join(',') !== task.depends_on.join(',')) {
    next.depends_on = changes.dependsOn;
    said.push(`depends_on [${task.depends_on.join(', ')}] → [${changes.dependsOn.join(', ')}]`);
  }
  if (changes.parent !== undefined && (changes.parent ?? undefined) !== task.parent) {
    if (changes.parent === null) delete next.parent;
    else next.parent = changes.parent;
    const was = task.parent ? `#${task.parent}` : 'none';
    said.push(`parent ${was} → ${changes.parent ? `#${changes.parent}` : 'none'}`);
  }
  if (said.length === 0) return task;
  return withHistory(next, act, 'updated', said.join('; '));
}

/**
 * Refuses links that point at the task itself or close a loop. `linksOf` gives the
 * dependencies (or parent) each other task has now.
 */
export function checkLinks(id: number, targets: number[], linksOf: (id: number) => number[], what: string): void {
  for (const target of targets) {
    if (target === id) throw new ConflictError(`task #${id} cannot be its own ${what}`);
    const path = pathBetween(target, id, linksOf);
    if (path) {
      const cycle = [id, ...path].map((n) => `#${n}`).join(' → ');
      throw new ConflictError(`that ${what} would make a cycle: ${cycle}; remove one of these links first`);
    }
  }
}

/** A path from `from` to `to` following links, or undefined. */
function pathBetween(from: number, to: number, linksOf: (id: number) => number[]): number[] | undefined {
  const seen = new Set<number>();
  const walk = (node: number): number[] | undefined => {
    if (node === to) return [node];
    if (seen.has(node)) return undefined;
    seen.add(node);
    for (const next of linksOf(node)) {
      const rest = walk(next);
      if (rest) return [node, ...rest];
    }
    return undefined;
  };
  return walk(from);
}
