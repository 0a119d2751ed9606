// `hzl board`: the tasks by status. On a terminal an interactive ink board (a bundle of its own,
// dist/board.mjs, so that ink and react never slow down other commands); piped, plain text.
// The board's actions run the same commands as `hzl task claim|complete|release`.

import { type FSWatcher, watch } from 'node:fs';
import { loadBundle } from '../bundles.js';
import type { Task } from '../core/task.js';
import { entryJson, fieldsJson } from '../output/json.js';
import { type BoardTask, columnsOf } from '../ui/model.js';
import { renderPlainBoard } from '../ui/plain.js';
import type { BoardAction, BoardSource } from '../ui/source.js';
import { type Ctx, type GlobalArgs, openWorkspace } from './context.js';
import { teamView } from './remote-claims-cache.js';
import type { Project } from '../store/project.js';
import type { TaskStore } from '../store/task-store.js';
import { type CommandSpec, defineCommand } from './spec.js';
import { claimCommand } from './task/claim.js';
import { completeCommand } from './task/complete.js';
import { releaseCommand } from './task/status-changes.js';
import { unreadableLine, unreadableTasks, unreadableWarning } from '../output/unreadable.js';

interface Args {
  once?: boolean;
}

const ACTIONS: Record<BoardAction, CommandSpec<{ id: string }>> = {
  claim: claimCommand as unknown as CommandSpec<{ id: string }>,
  complete: completeCommand,
  release: releaseCommand,
};

/** ink and react live in their own bundle (dist/board.mjs, see scripts/build.mjs). */
function loadBoardBundle() {
  return loadBundle<typeof import('../ui/board.js')>('board.mjs');
}

/** The board's view of the project: reads through the store, writes through the task commands. */
export function boardSource(ctx: Ctx, args: GlobalArgs): BoardSource {
  const { store, project } = openWorkspace(ctx);
  return {
    load() {
      const { cards, problems, warning } = boardCards(ctx, store, project);
      const unreadable = unreadableTasks(problems);
      const warnings = [...(warning ? [warning] : []), ...unreadable.map(unreadableWarning)];
      return { tasks: cards, warnings, unreadable };
    },
    read: (id: number): Task => store.read(id).doc.task,
    async act(action, id) {
      const out = await ACTIONS[action].run({ surroundings: args.surroundings, id: String(id) }, ctx);
      return out.message ?? '';
    },
    watch: (onChange) => watchDirectory(project.tasksDir, onChange),
    now: () => ctx.now(),
  };
}

/**
 * Every task as a card, as the team sees it (a claim held in another clone, from the cached
 * claims, as `list` shows it). Summaries come from the store's index where files are unchanged.
 */
export function boardCards(ctx: Ctx, store: TaskStore, project: Project) {
  const { tasks, problems } = store.summaries({ notes: true });
  const team = teamView(project, ctx.env, ctx.now(), tasks);
  const cards = team.tasks.map(({ lastCheckpoint, ...fields }): BoardTask => {
    const elsewhere = team.elsewhere.get(fields.id)?.clone;
    const card: BoardTask = lastCheckpoint ? { ...fields, lastCheckpoint } : fields;
    return elsewhere === undefined ? card : { ...card, elsewhere };
  });
  return { cards, problems, ...(team.warning ? { warning: team.warning } : {}) };
}

/**
 * Calls `onChange` (at most every 100 ms) when a file in `dir` changes: another agent's
 * checkpoint is written by rename into the directory, which the watch sees.
 */
export function watchDirectory(dir: string, onChange: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const fire = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      onChange();
    }, 100);
  };
  let watcher: FSWatcher | undefined;
  let poll: NodeJS.Timeout | undefined;
  try {
    watcher = watch(dir, { persistent: true }, fire);
    watcher.on('error', () => undefined); // the directory went away: keep the last picture
  } catch {
    poll = setInterval(fire, 2_000); // no file watching here: look again now and then
  }
  return () => {
    watcher?.close();
    if (poll) clearInterval(poll);
    if (timer) clearTimeout(timer);
  };
}

export const boardCommand = defineCommand<Args>({
  command: 'board',
  describe: 'Show tasks by status: an interactive board on a terminal, plain text when piped',
  options: {
    once: { type: 'boolean', describe: 'draw the interactive board once and exit (for scripts and benchmarks)' },
  },
  examples: [
    ['$0 board', 'arrows or h/j/k/l move, Enter opens, c claims, d completes, r releases, / filters, q quits'],
    ['$0 board | less', 'the same tasks as plain text'],
    ['HZL_AUTHOR=claude-code $0 board', 'claim from the board as claude-code'],
  ],
  run: async (args, ctx) => {
    const source = boardSource(ctx, args);
    if (ctx.json) {
      const { tasks, warnings, unreadable = [] } = source.load();
      const columns = columnsOf(tasks).map((c) => ({
        status: c.status,
        tasks: c.tasks.map((t) => ({
          ...fieldsJson(t),
          last_checkpoint: t.lastCheckpoint ? entryJson(t.lastCheckpoint) : null,
        })),
      }));
      return { kind: 'board', json: { columns, problems: unreadable }, warnings };
    }
    const term = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
    if (args.once) {
      const ui = await loadBoardBundle();
      const size = {
        width: term.stdout.columns || Number(ctx.env.COLUMNS) || 100,
        height: term.stdout.rows || Number(ctx.env.LINES) || 30,
      };
      return { kind: 'board', json: {}, text: ui.renderFirstFrame(source, size) };
    }
    const interactive = ctx.io.stdout.isTTY === true && term.stdin.isTTY === true && ctx.env.TERM !== 'dumb';
    if (!interactive) {
      const { tasks, warnings, unreadable = [] } = source.load();
      const text =
        renderPlainBoard(tasks, ctx.now()) +
        (unreadable.length
          ? `\nUNREADABLE (${unreadable.length})\n${unreadable.map((u) => `  ${unreadableLine(u)}\n`).join('')}`
          : '');
      return { kind: 'board', json: {}, text, warnings };
    }
    const ui = await loadBoardBundle();
    await ui.runBoard(source, term);
    return { kind: 'board', json: {} };
  },
});
