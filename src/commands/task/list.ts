import { type InvalidDataError, UsageError } from '../../core/errors.js';
import { SORT_KEYS, type SortKey, selectTasks } from '../../core/query.js';
import { checkAuthor, parseStatus, parseTaskId, printable } from '../../core/validate.js';
import { summaryJson } from '../../output/json.js';
import { renderList } from '../../output/task-view.js';
import { unreadableTasks, unreadableWarning } from '../../output/unreadable.js';
import type { TaskListing, TaskSummary } from '../../store/summary-index.js';
import { type Ctx, type Workspace, openWorkspace } from '../context.js';
import { cachedClaims, withClaimsElsewhere } from '../remote-claims-cache.js';
import type { ClaimSeen } from '../remote-coordination.js';
import { defineCommand } from '../spec.js';
import { tasksOnAllBranches, tasksOnBranch } from './other-branches.js';

interface Args {
  status?: string[];
  author?: string;
  tag?: string;
  parent?: string;
  available?: boolean;
  all?: boolean;
  sort?: string;
  reverse?: boolean;
  limit?: string;
  branch?: string;
  allBranches?: boolean;
}

export const listCommand = defineCommand<Args>({
  command: 'list',
  aliases: ['ls'],
  describe: 'List open tasks (done and archived ones with --all, or --status done)',
  options: {
    status: { type: 'string', array: true, describe: 'only this status (repeatable, or a,b)' },
    tag: { type: 'string', describe: 'only tasks with this tag' },
    parent: { type: 'string', describe: 'only subtasks of this task' },
    available: { type: 'boolean', describe: 'only tasks ready to claim: dependencies done, unclaimed' },
    all: { type: 'boolean', describe: 'include done and archived tasks' },
    sort: {
      type: 'string',
      choices: SORT_KEYS,
      describe: 'order: lowest id or oldest first, priority most urgent first (default id)',
    },
    reverse: { type: 'boolean', describe: 'the other way round (--sort updated --reverse: newest activity first)' },
    limit: { type: 'string', describe: 'at most this many tasks' },
    branch: { type: 'string', describe: 'list the tasks as this branch has them, without checking it out' },
    'all-branches': { type: 'boolean', describe: 'the newest version of every task on any branch, naming the branch' },
  },
  examples: [
    ['$0 task list --status in_progress', 'what is being worked on'],
    ['$0 task list --author claude-code', "one agent's tasks"],
    ['$0 task list --all-branches', 'what every branch is working on'],
    ['$0 task list --all --sort updated --reverse', 'every task, done ones too, newest activity first'],
  ],
  run: async (args, ctx) => {
    const statuses = (args.status ?? [])
      .flatMap((s) => String(s).split(','))
      .filter(Boolean)
      .map(parseStatus);
    const limit = args.limit === undefined ? undefined : Number(args.limit);
    if (limit !== undefined && !(Number.isSafeInteger(limit) && limit > 0)) {
      throw new UsageError(`invalid --limit '${printable(String(args.limit))}': use a positive number`);
    }
    if (args.branch !== undefined && args.allBranches)
      throw new UsageError('pass --branch REF or --all-branches, not both');
    const ws = openWorkspace(ctx);
    const fromGit =
      args.branch !== undefined
        ? await tasksOnBranch(ctx, ws, String(args.branch))
        : args.allBranches
          ? await tasksOnAllBranches(ctx, ws)
          : undefined;
    const here = fromGit ? undefined : teamView(ws, ctx);
    const { tasks, problems } = fromGit
      ? {
          tasks: fromGit.tasks.map((t) => ({ ...t.summary, branch: t.branch, branches: t.branches })),
          problems: fromGit.problems,
        }
      : here!.tasks;
    const selected = selectTasks(tasks, {
      statuses,
      ...(ctx.author !== undefined ? { author: checkAuthor(ctx.author) } : {}),
      ...(args.tag !== undefined ? { tag: String(args.tag) } : {}),
      ...(args.parent !== undefined ? { parent: parseTaskId(args.parent) } : {}),
      available: args.available === true,
      all: args.all === true,
      ...(args.sort !== undefined ? { sort: args.sort as SortKey } : {}),
      reverse: args.reverse === true,
      ...(limit !== undefined ? { limit } : {}),
    });
    // Unreadable files stay listed, whatever the filters: their fields cannot be known.
    const unreadable = unreadableTasks(problems);
    const warnings = [...(here?.warning ? [here.warning] : []), ...unreadable.map(unreadableWarning)];
    const elsewhere = here?.elsewhere;
    return {
      kind: 'task-list',
      // Building every entry's JSON costs ~25 ms at 10,000 tasks: only when it is printed.
      json: !ctx.json
        ? {}
        : {
            ...(args.branch !== undefined ? { branch: String(args.branch) } : {}),
            tasks: selected.map((t) => ({
              ...summaryJson(t as TaskSummary),
              ...('branch' in t ? { branch: t.branch } : {}),
              ...(args.allBranches && 'branches' in t ? { branches: t.branches } : {}),
              ...(elsewhere ? { remote_claim: elsewhere.get(t.id) ?? null } : {}),
            })),
            problems: unreadable,
          },
      text: renderList(
        elsewhere
          ? selected.map((t) => (elsewhere.has(t.id) ? { ...t, author: `${t.author} (other clone)` } : t))
          : selected,
        ctx.tty,
        ctx.style,
        args.allBranches
          ? selected.map((t) => ('branches' in t ? (t.branches as string[]).join(', ') : ''))
          : undefined,
        unreadable,
      ),
      ...(selected.length === 0 && unreadable.length === 0 ? { message: 'No tasks match.' } : {}),
      warnings,
    };
  },
});

/**
 * The tasks of this working tree, with claims held in other clones (from the cached fetch of the
 * remote's claims) in place of what the files say; without a remote, exactly the files.
 */
function teamView(
  ws: Workspace,
  ctx: Ctx,
): {
  tasks: { tasks: TaskListing[]; problems: InvalidDataError[] };
  elsewhere?: Map<number, ClaimSeen>;
  warning?: string;
} {
  const tasks = ctx.json ? ws.store.summaries({ notes: true }) : ws.store.summaries(); // notes only for --json
  const seen = cachedClaims(ws.project, ctx.env, ctx.now());
  if (!seen) return { tasks };
  const { tasks: shown, elsewhere } = withClaimsElsewhere(ws.project, seen.claims, tasks.tasks);
  return { tasks: { ...tasks, tasks: shown }, elsewhere, ...(seen.warning ? { warning: seen.warning } : {}) };
}
