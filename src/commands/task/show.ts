import { HzlError } from '../../core/errors.js';
import { parseTaskId } from '../../core/validate.js';
import { taskJson } from '../../output/json.js';
import { type Related, renderShow } from '../../output/task-view.js';
import type { TaskStore } from '../../store/task-store.js';
import { openWorkspace } from '../context.js';
import { defineCommand } from '../spec.js';

interface Args {
  id: string;
}

/** Status and title of a linked task, or just its id when it is missing or unreadable. */
function peek(store: TaskStore, id: number): Related {
  try {
    const { task } = store.read(id).doc;
    return { id, status: task.status, title: task.title };
  } catch (err) {
    if (err instanceof HzlError) return { id };
    throw err;
  }
}

export const showCommand = defineCommand<Args>({
  command: 'show <id>',
  describe: 'Show a task with every checkpoint: what the next session reads first',
  positionals: {
    id: 'task id, like 1 or #1',
  },
  examples: [
    ['$0 task show 1', 'read the context before resuming'],
    ['$0 task show 1 --json', 'the same as one JSON document'],
  ],
  run: (args, ctx) => {
    const id = parseTaskId(args.id);
    const { store } = openWorkspace(ctx);
    const stored = store.read(id);
    const { task } = stored.doc;
    const subtasks = store.childrenOf(task.id).map((c) => ({ id: c.id, status: c.status, title: c.title }));
    const json = { task: { ...taskJson(stored), subtasks } };
    if (ctx.json) return { kind: 'task', json };
    const dependencies = task.depends_on.map((d) => peek(store, d));
    const parent = task.parent ? peek(store, task.parent) : undefined;
    return {
      kind: 'task',
      json,
      text: renderShow(task, { style: ctx.style, dependencies, subtasks, ...(parent ? { parent } : {}) }),
    };
  },
});
