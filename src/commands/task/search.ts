import { UsageError } from '../../core/errors.js';
import { lastActivity, searchTasks } from '../../core/query.js';
import { displayTime } from '../../core/time.js';
import { entryJson, summaryJson } from '../../output/json.js';
import { visible } from '../../output/visible.js';
import { summarize } from '../../store/summary-index.js';
import { defineCommand } from '../spec.js';
import { openWorkspace } from '../context.js';

interface Args {
  text: string[];
  all?: boolean;
}

export const searchCommand = defineCommand<Args>({
  command: 'search <text..>',
  describe: 'Find tasks by title, description or checkpoint text (case-insensitive), newest first',
  positionals: { text: 'the words to look for, as one phrase' },
  options: { all: { type: 'boolean', describe: 'include archived tasks' } },
  examples: [
    ['$0 task search redis', 'where did we decide on Redis?'],
    ['$0 task search "rate limit" --json', 'matches with the checkpoints that matched'],
  ],
  run: (args, ctx) => {
    const text = args.text.map(String).join(' ').trim();
    if (text === '') throw new UsageError('say what to search for: hzl task search redis');
    const { store } = openWorkspace(ctx);
    const { tasks, problems } = store.search(text.toLowerCase());
    const found = new Map(tasks.map((t) => [t.task.id, t]));
    const pool = tasks.map((t) => t.task).filter((t) => args.all || t.status !== 'archived');
    const hits = searchTasks(pool, text);
    const lines = hits.map(({ task, checkpoints }) => {
      const head = `#${task.id} [${task.status}] ${visible(task.title)} (${displayTime(lastActivity(task))})`;
      const quotes = checkpoints.slice(-3).map((i) => `    ${visible(task.checkpoints[i]!.text.split('\n')[0]!)}`);
      return [head, ...quotes].join('\n');
    });
    return {
      kind: 'task-search',
      // Built only when printed: at 10,000 tasks a broad search matches hundreds.
      json: !ctx.json
        ? {}
        : {
            query: text,
            tasks: hits.map(({ task, where, checkpoints }) => {
              const record = found.get(task.id)!;
              return {
                ...summaryJson(summarize(record, record.file)),
                matched: where,
                checkpoints: checkpoints.map((i) => entryJson(task.checkpoints[i]!)),
              };
            }),
          },
      text: lines.length ? `${lines.join('\n')}\n` : '',
      ...(hits.length === 0 ? { message: `No task mentions "${text}".` } : {}),
      warnings: problems.map((p) => `skipped ${p.message}`),
    };
  },
});
