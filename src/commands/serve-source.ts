// The web view's reads and writes (src/web/source.ts), made of the same store and commands as
// the CLI: a claim from the page is `hzl task claim ID` run in this process, with its lock,
// History line and commit mode.

import { searchCommand } from './task/search.js';
import { blockCommand } from './task/block.js';
import { checkpointCommand } from './task/checkpoint.js';
import { claimCommand } from './task/claim.js';
import { completeCommand } from './task/complete.js';
import { releaseCommand } from './task/status-changes.js';
import { changesCommand } from './changes.js';
import { boardCards, watchDirectory } from './board.js';
import { type Ctx, type GlobalArgs, openWorkspace } from './context.js';
import type { Task } from '../core/task.js';
import type { Project } from '../store/project.js';
import { cachedClaims, claimElsewhere } from './remote-claims-cache.js';
import type { ChangesView, Related, SearchHit, WebAction, WebSource } from '../web/source.js';
import { TaskFolder } from '../store/task-folder.js';

/** How often the folder is looked at even when file watching says nothing (network file systems). */
const POLL_MS = 2_000;

type Json = Record<string, unknown>;

function runAction(action: WebAction, id: number, text: string | undefined, ctx: Ctx, args: GlobalArgs) {
  const base = { surroundings: args.surroundings, id: String(id) };
  switch (action) {
    case 'claim':
      return claimCommand.run(base, ctx);
    case 'release':
      return releaseCommand.run(base, ctx);
    case 'complete':
      return completeCommand.run(base, ctx);
    case 'block':
      return blockCommand.run({ ...base, reason: text ?? '' }, ctx);
    case 'checkpoint':
      // The text as given, through the stdin form: a word '-' would otherwise read the server's stdin.
      return checkpointCommand.run(
        { ...base, text: ['-'] },
        { ...ctx, io: { ...ctx.io, readStdin: async () => text ?? '' } },
      );
  }
}

/** A cheap fingerprint of the tasks folder: names, sizes, inodes and times of every file. */
function folderStamp(folder: TaskFolder): string {
  let sum = 0;
  let count = 0;
  folder.eachStamped((name, stamp) => {
    count += 1;
    if (!stamp) return;
    sum = (sum * 31 + stamp.size + stamp.mtimeMs + stamp.ctimeMs + stamp.ino + name.length) % 2 ** 48;
  });
  return `${count}:${sum}`;
}

/** fs.watch on the folder, and a poll beside it for file systems that send no events. */
function watchTasks(dir: string, onChange: () => void): () => void {
  const stopWatch = watchDirectory(dir, onChange);
  const stopPoll = pollTasks(dir, onChange);
  return () => {
    stopWatch();
    stopPoll();
  };
}

/** Calls `onChange` when the folder's stamps differ from the last look; also a folder replaced whole. */
export function pollTasks(dir: string, onChange: () => void, everyMs = POLL_MS): () => void {
  const folder = new TaskFolder(dir, '.hzl/tasks');
  const look = () => {
    try {
      return folderStamp(folder);
    } catch {
      return 'unreadable';
    }
  };
  let last = look();
  const poll = setInterval(() => {
    const now = look();
    if (now !== last) onChange();
    last = now;
  }, everyMs);
  poll.unref();
  return () => clearInterval(poll);
}

/** The task's claim on the remote when another clone (or author) holds it, as `show` sees it. */
function claimOnRemote(ctx: Ctx, project: Project, task: Task) {
  const seen = cachedClaims(project, ctx.env, ctx.now());
  const claim = seen && claimElsewhere(project, seen.claims, task.id, task.author);
  return claim && { author: claim.author, clone: claim.clone, lease_until: claim.lease_until, expired: claim.expired };
}

export function webSource(ctx: Ctx, args: GlobalArgs): WebSource {
  const { project } = openWorkspace(ctx);
  // Each page opens the store again: it is cheap (the summary index), and never stale.
  const store = () => openWorkspace(ctx).store;
  const asJson: Ctx = { ...ctx, json: true };
  return {
    load() {
      const { cards, problems, warning } = boardCards(ctx, store(), project);
      return { tasks: cards, warnings: [...(warning ? [warning] : []), ...problems.map((p) => p.message)] };
    },
    read(id) {
      const s = store();
      const task = s.readPlain(id).doc.task;
      const peek = (n: number): Related => {
        const t = s.find(n);
        return t ? { id: n, status: t.status, title: t.title } : { id: n };
      };
      const subtasks = s.childrenOf(id).map((c) => ({ id: c.id, status: c.status, title: c.title }));
      const claim = claimOnRemote(ctx, project, task);
      return {
        task,
        dependencies: task.depends_on.map(peek),
        subtasks,
        ...(task.parent ? { parent: peek(task.parent) } : {}),
        ...(claim ? { claimElsewhere: claim } : {}),
      };
    },
    async search(text) {
      const out = await searchCommand.run({ surroundings: args.surroundings, text: [text] }, asJson);
      const hits = ((out.json.tasks ?? []) as Json[]).map(
        (t): SearchHit => ({
          id: t.id as number,
          title: t.title as string,
          status: t.status as SearchHit['status'],
          ...(typeof t.author === 'string' ? { author: t.author } : {}),
          matched: t.matched as string[],
          checkpoints: t.checkpoints as SearchHit['checkpoints'],
        }),
      );
      return { hits, warnings: out.warnings ?? [] };
    },
    async changes(base) {
      const out = await changesCommand.run({ surroundings: args.surroundings, ...(base ? { base } : {}) }, asJson);
      const json = out.json as Json;
      return {
        base: json.base as string,
        mergeBase: json.merge_base as string,
        tasks: json.tasks as ChangesView['tasks'],
        warnings: out.warnings ?? [],
      };
    },
    async act(action, id, text) {
      const out = await runAction(action, id, text, ctx, args);
      return out.message ?? '';
    },
    watch: (onChange) => watchTasks(project.tasksDir, onChange),
    now: () => ctx.now(),
  };
}
