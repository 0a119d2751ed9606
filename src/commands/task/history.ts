import { displayTime } from '../../core/time.js';
import { parseTaskId } from '../../core/validate.js';
import { type FileCommit, commitsTouching } from '../../git/branches.js';
import { entryJson } from '../../output/json.js';
import { renderHistory } from '../../output/task-view.js';
import { visible } from '../../output/visible.js';
import { openWorkspace } from '../context.js';
import { defineCommand } from '../spec.js';

interface Args {
  id: string;
}

export const historyCommand = defineCommand<Args>({
  command: 'history <id>',
  describe: "A task's History lines (who changed what, when), then the commits that touched its file",
  positionals: { id: 'task id, like 1 or #1' },
  examples: [
    ['$0 task history 1', 'every transition of task 1, and its commits'],
    ['$0 task history 1 --json', 'the same as data'],
  ],
  run: async (args, ctx) => {
    const id = parseTaskId(args.id);
    const ws = openWorkspace(ctx);
    const stored = ws.store.read(id);
    const { task } = stored.doc;
    const { worktreeRoot } = ws.project;
    const commits: FileCommit[] = worktreeRoot
      ? await commitsTouching({ worktreeRoot, tasksDir: ws.project.tasksDir, env: ctx.env }, stored.path)
      : [];
    const lines = commits.map(
      (c) => `  ${ctx.style.dim(c.hash.slice(0, 7))} ${displayTime(c.date)} ${visible(c.subject)}\n`,
    );
    return {
      kind: 'task-history',
      json: { id: task.id, history: task.history.map(entryJson), commits },
      text: renderHistory(task, ctx.style) + (commits.length ? `\nCommits:\n${lines.join('')}` : ''),
    };
  },
});
