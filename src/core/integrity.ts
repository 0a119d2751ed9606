// What a merge or a hand edit can put in task files that no command would write: links in a
// cycle, a task linked to itself, control characters, ids longer than 9 digits. Pure: tasks in,
// findings out; `hzl doctor` words them.

import { CONTROL, CONTROL_OR_TAB } from './printable.js';
import type { Task, TaskFields } from './task.js';

/** The largest id hzl reads: 9 digits, as in file names and on the command line. */
export const MAX_TASK_ID = 999_999_999;

export type LinkField = 'depends_on' | 'parent';

function linksOf(t: TaskFields, field: LinkField): number[] {
  return field === 'parent' ? (t.parent === undefined ? [] : [t.parent]) : t.depends_on;
}

/** Tasks that name themselves in `depends_on` or `parent`. */
export function selfLinks(tasks: TaskFields[]): Array<{ id: number; field: LinkField }> {
  const out: Array<{ id: number; field: LinkField }> = [];
  for (const t of tasks) {
    for (const field of ['depends_on', 'parent'] as const)
      if (linksOf(t, field).includes(t.id)) out.push({ id: t.id, field });
  }
  return out;
}

/**
 * Cycles of two or more tasks through `field`, one per group of tasks that reach each other:
 * the path from the group's lowest id back to itself (`[1, 2, 3, 1]`), shortest first.
 */
export function linkCycles(tasks: TaskFields[], field: LinkField): number[][] {
  const edges = new Map<number, number[]>();
  for (const t of tasks) edges.set(t.id, []);
  for (const t of tasks) edges.get(t.id)!.push(...linksOf(t, field).filter((to) => to !== t.id && edges.has(to)));
  return stronglyConnected(edges)
    .filter((group) => group.length > 1)
    .map((group) => shortestCycle(Math.min(...group), new Set(group), edges))
    .sort((a, b) => a[0]! - b[0]!);
}

/** Tarjan's algorithm, without recursion: 10,000 tasks in a chain would overflow the stack. */
function stronglyConnected(edges: Map<number, number[]>): number[][] {
  const index = new Map<number, number>();
  const low = new Map<number, number>();
  const onStack = new Set<number>();
  const stack: number[] = [];
  const groups: number[][] = [];
  let counter = 0;
  for (const root of edges.keys()) {
    if (index.has(root)) continue;
    const work: Array<{ node: number; next: number }> = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const frame = work.at(-1)!;
      const out = edges.get(frame.node)!;
      if (frame.next < out.length) {
        const to = out[frame.next++]!;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, next: 0 });
        } else if (onStack.has(to)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        continue;
      }
      work.pop();
      const parent = work.at(-1);
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const group: number[] = [];
        let member: number;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          group.push(member);
        } while (member !== frame.node);
        groups.push(group);
      }
    }
  }
  return groups;
}

/** Breadth-first from `start` inside its group until a link leads back to it. */
function shortestCycle(start: number, group: Set<number>, edges: Map<number, number[]>): number[] {
  const cameFrom = new Map<number, number>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i]!;
    for (const to of [...edges.get(node)!].sort((a, b) => a - b)) {
      if (to === start) {
        const path = [start];
        for (let at: number | undefined = node; at !== undefined && at !== start; at = cameFrom.get(at))
          path.splice(1, 0, at);
        return [...path, start];
      }
      if (group.has(to) && !cameFrom.has(to)) {
        cameFrom.set(to, node);
        queue.push(to);
      }
    }
  }
  return [start, start]; // not reached: every node of a group reaches every other
}

export interface ControlCharacter {
  field: 'title' | 'author' | 'handoff_to' | 'tags' | 'description' | 'Checkpoints' | 'History';
  /** The first one, as U+XXXX. */
  char: string;
}

/** Fields of `task` that hold a control character no command would have let in. */
export function controlCharacters(task: Task): ControlCharacter[] {
  const found: ControlCharacter[] = [];
  const check = (field: ControlCharacter['field'], values: string[], pattern: RegExp) => {
    for (const v of values) {
      const m = pattern.exec(v);
      if (m)
        return void found.push({ field, char: `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` });
    }
  };
  check('title', [task.title], CONTROL_OR_TAB);
  check('author', task.author === undefined ? [] : [task.author], CONTROL_OR_TAB);
  check('handoff_to', task.handoff_to === undefined ? [] : [task.handoff_to], CONTROL_OR_TAB);
  check('tags', task.tags, CONTROL_OR_TAB);
  check('description', [task.description], CONTROL);
  check(
    'Checkpoints',
    task.checkpoints.flatMap((c) => [c.author, c.text]),
    CONTROL,
  );
  check(
    'History',
    task.history.flatMap((h) => [h.author, h.text]),
    CONTROL,
  );
  return found;
}

/** Ids in a task's fields that are longer than 9 digits: hzl could never name them. */
export function oversizedIds(task: TaskFields): Array<{ field: 'id' | LinkField; value: number }> {
  const out: Array<{ field: 'id' | LinkField; value: number }> = [];
  if (task.id > MAX_TASK_ID) out.push({ field: 'id', value: task.id });
  for (const field of ['depends_on', 'parent'] as const) {
    for (const value of linksOf(task, field)) if (value > MAX_TASK_ID) out.push({ field, value });
  }
  return out;
}
