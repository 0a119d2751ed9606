import { shellWord } from '../../core/shell.js';
import { NotFoundError } from '../../core/errors.js';
import { parseTaskId } from '../../core/validate.js';
import { taskJson } from '../../output/json.js';
import { type Related, renderShow } from '../../output/task-view.js';
import type { TaskStore } from '../../store/task-store.js';
import { defineCommand } from '../spec.js';
import { type Ctx, type Output, openWorkspace } from '../context.js';
import { tasksOnBranch } from './other-branches.js';
import { claimElsewhere, cachedClaims } from '../remote-claims-cache.js';
import { displayTime } from '../../core/time.js';
import type { Project } from '../../store/project.js';

interface Args {
  id: string;
  branch?: string;
}

/** Status and title of a linked task, or just its id when it is missing or unreadable. */
function peek(store: TaskStore, id: number): Related {
  const task = store.find(id);
  return task ? { id, status: task.status, title: task.title } : { id };
}

async function showOnBranch(ctx: Ctx, id: number, branch: string): Promise<Output> {
  const ws = openWorkspace(ctx);
  const { tasks } = await tasksOnBranch(ctx, ws, branch);
  const found = tasks.filter((t) => t.doc.task.id === id);
  if (found.length === 0)
    throw new NotFoundError(
      `task #${id} not found on branch '${branch}': 'hzl task list --branch ${shellWord(branch)}' lists its tasks`,
    );
  const { doc, summary } = found[0]!;
  const task = doc.task;
  const byId = new Map(tasks.map((t) => [t.doc.task.id, t.doc.task]));
  const related = (n: number): Related => {
    const t = byId.get(n);
    return t ? { id: n, status: t.status, title: t.title } : { id: n };
  };
  const subtasks = tasks.filter((t) => t.doc.task.parent === id).map((t) => related(t.doc.task.id));
  const json = { branch, task: { ...taskJson({ doc, file: summary.file, path: summary.file }), subtasks } };
  return {
    kind: 'task',
    json,
    text: renderShow(task, {
      style: ctx.style,
      now: ctx.now(),
      dependencies: task.depends_on.map(related),
      subtasks,
      ...(task.parent ? { parent: related(task.parent) } : {}),
    }),
  };
}

export const showCommand = defineCommand<Args>({
  command: 'show <id>',
  describe: 'Show a task with every checkpoint: what the next session reads first',
  options: {
    branch: { type: 'string', describe: 'read the task as this branch has it, without checking it out' },
  },
  positionals: {
    id: 'task id, like 1 or #1',
  },
  examples: [
    ['$0 task show 1', 'read the context before resuming'],
    ['$0 task show 1 --json', 'the same as one JSON document'],
    ['$0 task show 1 --branch feature/auth', 'as it stands on another branch'],
  ],
  run: async (args, ctx) => {
    const id = parseTaskId(args.id);
    if (args.branch !== undefined) return showOnBranch(ctx, id, String(args.branch));
    const { store, project } = openWorkspace(ctx);
    const stored = store.read(id);
    const { task } = stored.doc;
    const subtasks = store.childrenOf(task.id).map((c) => ({ id: c.id, status: c.status, title: c.title }));
    const remote = remoteClaimLines(project, ctx, task.id, task.author);
    const json = { task: { ...taskJson(stored), subtasks }, ...remote.json };
    if (ctx.json) return { kind: 'task', json, warnings: remote.warnings };
    const dependencies = task.depends_on.map((d) => peek(store, d));
    const parent = task.parent ? peek(store, task.parent) : undefined;
    return {
      kind: 'task',
      json,
      text: renderShow(task, {
        style: ctx.style,
        now: ctx.now(),
        dependencies,
        subtasks,
        ...(parent ? { parent } : {}),
      }),
      warnings: remote.warnings,
    };
  },
});

/** With a remote: a claim on this task held in another clone, as a warning and under `remote_claim`. */
function remoteClaimLines(project: Project, ctx: Ctx, id: number, holder: string | undefined) {
  const seen = cachedClaims(project, ctx.env, ctx.now());
  const claim = seen && claimElsewhere(project, seen.claims, id, holder);
  const warnings = [
    ...(seen?.warning ? [seen.warning] : []),
    ...(claim
      ? [
          `#${id} is claimed in another clone by ${claim.author} (${claim.clone}), ` +
            `lease until ${displayTime(claim.lease_until)}`,
        ]
      : []),
  ];
  return { json: seen ? { remote_claim: claim ?? null } : {}, warnings };
}
