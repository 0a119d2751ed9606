import { parseTaskId } from '../../core/validate.js';
import { entryJson } from '../../output/json.js';
import { renderHistory } from '../../output/task-view.js';
import { openWorkspace } from '../context.js';
import { defineCommand } from '../spec.js';

interface Args {
  id: string;
}

export const historyCommand = defineCommand<Args>({
  command: 'history <id>',
  describe: "List a task's History: who changed its status, and when",
  positionals: {
    id: 'task id, like 1 or #1',
  },
  examples: [
    ['$0 task history 1', 'every transition of task 1'],
  ],
  run: (args, ctx) => {
    const { store } = openWorkspace(ctx);
    const { task } = store.read(parseTaskId(args.id)).doc;
    return {
      kind: 'task-history',
      json: { id: task.id, history: task.history.map(entryJson) },
      text: renderHistory(task, ctx.style),
    };
  },
});
