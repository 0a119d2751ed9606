import { ConflictError, NotFoundError, UsageError } from '../../core/errors.js';
import { historyEntry } from '../../core/history.js';
import { type Task, slugify } from '../../core/task.js';
import { toStamp } from '../../core/time.js';
import {
  checkText,
  checkTitle,
  parsePriority,
  parseStatus,
  parseTags,
  parseTaskId,
  parseTaskIds,
} from '../../core/validate.js';
import { taskJson } from '../../output/json.js';
import { findGit } from '../../store/project.js';
import type { PreparedTask } from '../../store/task-store.js';
import { type HistoryIds, idsInHistory } from '../../git/ids.js';
import { idsSeenCache } from '../../store/ids-seen.js';
import { countsForNumbering, ignoredIdWarnings } from '../../core/ids.js';
import { resolveActor } from '../actor.js';
import { commitIfAsked } from '../commit-mode.js';
import { type Ctx, type Output, type Workspace, openWorkspace } from '../context.js';
import { remoteOf } from '../remote-coordination.js';
import { reserveIdAfter, startIdReservation, takeBackId } from '../remote-early.js';
import { type OfflineEntry, forgetOfflineQuietly, isOffline, rememberOffline } from '../offline-work.js';
import { defineCommand } from '../spec.js';

// Where ids seen on other branches come from, and how to find the commit that added one.
const HISTORY = "git history (find it with 'git log --all -- .hzl/tasks')";

interface Args {
  title: string[];
  description?: string;
  priority?: string;
  tags?: string;
  dependsOn?: string;
  parent?: string;
  status?: string;
}

export const addCommand = defineCommand<Args>({
  command: 'add <title..>',
  aliases: ['create'],
  describe: 'Create a task and print its id',
  positionals: {
    title: 'one line that says what is to be done',
  },
  options: {
    description: { alias: 'd', type: 'string', describe: 'longer Markdown description' },
    priority: { alias: 'p', type: 'string', describe: '0-3, higher is more urgent (default 0)' },
    tags: { alias: 't', type: 'string', describe: 'comma-separated tags, like auth,backend' },
    'depends-on': { type: 'string', describe: 'ids this task waits for, like 3,4' },
    parent: { type: 'string', describe: 'id of the parent task' },
    status: { alias: 's', type: 'string', describe: 'ready (default) or backlog' },
  },
  examples: [
    ['$0 task add "Implement user authentication" -p 2 -t auth,backend', 'a task with priority and tags'],
    ['id=$($0 task add "Write docs" --depends-on 1)', 'capture the new id in a script'],
  ],
  run: async (args, ctx) => {
    const title = checkTitle(args.title.map(String).join(' '));
    const description =
      args.description === undefined ? '' : checkText(args.description, 'description', { allowEmpty: true });
    const priority = args.priority === undefined ? 0 : parsePriority(args.priority);
    const tags = args.tags === undefined ? [] : parseTags(args.tags);
    const dependsOn = args.dependsOn === undefined ? [] : parseTaskIds(args.dependsOn, '--depends-on');
    const parent = args.parent === undefined ? undefined : parseTaskId(args.parent);
    const status = args.status === undefined ? 'ready' : parseStatus(args.status);
    if (status !== 'ready' && status !== 'backlog') {
      throw new UsageError(
        `a new task starts as ready or backlog, not ${status}: drop --status or use --status backlog`,
      );
    }
    const fields = { title, description, priority, tags, dependsOn, parent, status };
    const ws = openWorkspace(ctx);
    for (const id of [...dependsOn, ...(parent ? [parent] : [])]) {
      if (!ws.store.has(id))
        throw new NotFoundError(`task #${id} not found (named by --depends-on or --parent): check the id`);
    }
    // The id's reservation runs while the actor and the ids seen in history are found out.
    const remote = remoteOf(ws.project, ctx.env);
    const early = remote
      ? startIdReservation(remote, ws.project, ws.store.nextFreeId(highestSeenBefore(ws.project.stateDir)), ctx.now())
      : undefined;
    let settled = early === undefined;
    try {
      const actor = await resolveActor(ctx, ws.project);
      const git = findGit(ws.project.root);
      // Ids ever used on any branch (outside the lock: slow, and only ever grows).
      const seen = git
        ? await idsInHistory(git, ws.project.tasksDir, idsSeenCache(ws.project.stateDir), ctx.env)
        : { highest: 0, ignored: [] };
      // Reserved before the local id lock is taken: other adds in this clone need not wait on the network.
      const candidate = ws.store.nextFreeId(seen.highest);
      const build = taskBuilder({ ...fields, actor }, toStamp(ctx.now()));
      // The file for the id pushed early, rendered while the remote answers (refused: taken back).
      const prepared = early?.id === candidate ? ws.store.prepare(build, slugify(title), candidate) : undefined;
      settled = true;
      const reserved = early && (await reserveIdAfter(remote!, ws.project, candidate, ctx.now(), early));
      return await created(ctx, ws, { ...fields, actor, seen, reserved, build, prepared });
    } finally {
      // Refused before the reservation was used (who is acting?): the remote keeps no id for it.
      if (early && !settled) await takeBackId(remote!, early);
    }
  },
});

interface NewTask {
  title: string;
  description: string;
  priority: number;
  tags: string[];
  dependsOn: number[];
  parent: number | undefined;
  status: 'ready' | 'backlog';
  actor: string;
  seen: HistoryIds;
  reserved: number | undefined;
  build: (id: number) => Task;
  prepared: PreparedTask | undefined;
}

/** The highest id history held at the last look (the ids-seen cache), for the early reservation. */
function highestSeenBefore(stateDir: string): number {
  const max = (idsSeenCache(stateDir).read() as { max?: unknown } | undefined)?.max;
  return typeof max === 'number' && countsForNumbering(max) ? max : 0;
}

type TaskFields = Pick<
  NewTask,
  'title' | 'description' | 'priority' | 'tags' | 'dependsOn' | 'parent' | 'status' | 'actor'
>;

/** The new task, given the id it gets; refused when it would depend on itself. */
function taskBuilder(fields: TaskFields, at: string): (id: number) => Task {
  const { title, description, priority, tags, dependsOn, parent, status, actor } = fields;
  return (id) => {
    if (dependsOn.includes(id) || parent === id) throw new ConflictError(`task #${id} cannot depend on itself`);
    return {
      id,
      title,
      status,
      priority,
      tags,
      depends_on: dependsOn,
      ...(parent ? { parent } : {}),
      created: at,
      updated: at,
      description,
      checkpoints: [],
      history: [historyEntry({ at, actor, kind: 'created', details: `(${status})` })],
    };
  };
}

async function created(ctx: Ctx, ws: Workspace, spec: NewTask): Promise<Output> {
  const { title, actor, seen, reserved, build, prepared } = spec;
  // Work done offline is remembered before the file is written: a task sync would not know of is
  // never left. If the write then fails, the entry goes again (sync would drop it anyway: no file).
  let remembered: OfflineEntry | undefined;
  const remember = isOffline(ws.project, ctx.env)
    ? (task: Task, file: string) => {
        remembered = { kind: 'id', id: task.id, file, created: task.created };
        rememberOffline(ws.project, ctx.env, remembered);
      }
    : undefined;
  let stored: ReturnType<typeof ws.store.create>;
  try {
    stored = ws.store.create(build, slugify(title), seen.highest, reserved, prepared, remember);
  } catch (err) {
    if (remembered) forgetOfflineQuietly(ws.project, ctx.env, remembered);
    throw err;
  }
  const warnings = ignoredIdWarnings([...seen.ignored.map((id) => ({ id, where: HISTORY })), ...stored.ignored]);
  const task = stored.doc.task;
  const committed = await commitIfAsked(ctx, ws.project, [stored.path], {
    id: task.id,
    action: 'add',
    title: task.title,
    actor: task.history[0]?.author ?? actor,
    detail: task.title,
  });
  return {
    kind: 'task',
    json: { action: 'add', changed: true, task: taskJson(stored), commit: committed.commit },
    text: `${task.id}\n`,
    message: [`Created task #${task.id}: ${task.title} (${stored.file})`, committed.message].filter(Boolean).join('\n'),
    warnings: [...warnings, ...(committed.warning ? [committed.warning] : [])],
  };
}
