// `hzl doctor`'s checks of the task files. Each takes what was read (a Visit) and returns its
// findings, repairing what it can when --fix asks; the list keeps the order of the report.

import { join } from 'node:path';
import { MalformedTaskError } from '../core/errors.js';
import { type Finding, note, problem } from '../core/findings.js';
import { conflictMarkerLine, danglingLinks, doubleClaim, expiredLeases } from '../core/health.js';
import { MAX_TASK_ID } from '../core/integrity.js';
import type { Task } from '../core/task.js';
import { displayTime } from '../core/time.js';
import type { TaskDoc } from '../format/task-file.js';
import type { GitLocation } from '../store/project.js';
import { renameTaskFile } from '../store/repairs.js';
import type { TaskStore } from '../store/task-store.js';
import type { Ctx, Workspace } from './context.js';
import { claimFieldFindings } from './doctor-claims.js';
import { duplicateFindings } from './doctor-duplicates.js';
import { integrityProblems } from './doctor-integrity.js';
import { sectionLineFindings } from './doctor-lines.js';

type InspectedFile = ReturnType<TaskStore['inspect']>[number];
export type ParsedFile = InspectedFile & { doc: TaskDoc };

/** What every check of the task files is given. A check that writes adds the paths to `touched`. */
export interface Visit {
  ctx: Ctx;
  ws: Workspace;
  git: GitLocation | undefined;
  fix: boolean;
  actor: string;
  at: Date;
  files: InspectedFile[];
  parsed: ParsedFile[];
  tasks: Task[];
  touched: string[];
}

type Check = (v: Visit) => Finding[] | Promise<Finding[]>;

/**
 * In this order: fixes of ids and names come before the checks that need them settled. Duplicates
 * first: renumbering the later file can free the number another file's name should say.
 */
const CHECKS: Check[] = [
  fileTextFindings,
  (v) => sectionLineFindings(v.files),
  duplicateFindings,
  nameFindings,
  (v) => danglingFindings(v.tasks),
  (v) =>
    integrityProblems(
      v.parsed.map((f) => ({ file: f.file, nameId: f.nameId, task: f.doc.task })),
      v.ws.project.tasksDir,
      '.hzl/tasks',
    ),
  (v) => doubleClaimFindings(v.tasks),
  claimFieldFindings,
  (v) => expiredLeaseNotes(v.tasks, v.at),
];

export function visitOf(ctx: Ctx, ws: Workspace, git: GitLocation | undefined, fix: boolean, actor: string): Visit {
  return { ctx, ws, git, fix, actor, at: ctx.now(), ...filesOf(ws), touched: [] };
}

function filesOf(ws: Workspace): Pick<Visit, 'files' | 'parsed' | 'tasks'> {
  const files = ws.store.inspect();
  const parsed = files.filter((f): f is ParsedFile => f.doc !== undefined);
  return { files, parsed, tasks: parsed.map((f) => f.doc.task) };
}

/**
 * Every check in turn: a later one sees the files as the earlier ones' repairs left them (the
 * folder is read again after a check that wrote, so no check works on a renamed file's old path).
 */
export async function taskFileFindings(v: Visit): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const check of CHECKS) {
    const written = v.touched.length;
    out.push(...(await check(v)));
    if (v.touched.length > written) Object.assign(v, filesOf(v.ws));
  }
  return out;
}

/** Files that do not parse, or whose text still has conflict markers. */
function fileTextFindings({ files }: Visit): Finding[] {
  const out: Finding[] = [];
  for (const f of files) {
    const marker = f.text === undefined ? undefined : conflictMarkerLine(f.text);
    if (marker !== undefined) {
      const message =
        `${f.file}:${marker}: conflict markers left by a merge: while the merge is unfinished, redo it with the ` +
        `hzl driver (git checkout -m -- ${f.file}); else edit the file to keep both sides; then run hzl doctor again`;
      out.push(problem('conflict-markers', message, { file: f.file, line: marker }));
    } else if (f.error && !(f.doc && f.doc.task.id !== f.nameId)) {
      const line = f.error instanceof MalformedTaskError ? { line: f.error.line } : {};
      out.push(problem('malformed', f.error.message, { file: f.file, ...line }));
    }
  }
  return out;
}

/** A file whose name says another id than its front-matter; --fix renames it when the id is free. */
function nameFindings({ ws, fix, files, parsed, touched }: Visit): Finding[] {
  const out: Finding[] = [];
  const idsTaken = new Set(files.map((f) => f.nameId));
  for (const f of parsed) {
    const id = f.doc.task.id;
    if (id === f.nameId || id > MAX_TASK_ID) continue; // an id beyond 9 digits: see integrityProblems
    const name = f.name.replace(/^\d+/, String(id));
    const target = join(ws.project.tasksDir, name);
    const canFix = fix && !idsTaken.has(id);
    if (canFix) {
      renameTaskFile(f.path, target, f.doc);
      touched.push(target, f.path);
      idsTaken.add(id);
    }
    const outcome = canFix
      ? `; renamed to ${name}`
      : idsTaken.has(id) && fix
        ? '; not renamed: another file has that number'
        : ": run 'hzl doctor --fix'";
    out.push(
      problem(
        'name-mismatch',
        `${f.file}: its id is ${id} but its name says ${f.nameId}${outcome}`,
        { file: f.file },
        canFix,
      ),
    );
  }
  return out;
}

function danglingFindings(tasks: Task[]): Finding[] {
  return danglingLinks(tasks).map((d) => {
    const flag = d.field === 'parent' ? 'parent' : 'depends-on';
    const what = `task #${d.id}: ${d.field} names #${d.target}, which does not exist`;
    const message = `${what}: 'hzl task update ${d.id} --${flag} …' to fix it`;
    return problem('dangling-link', message);
  });
}

function doubleClaimFindings(tasks: Task[]): Finding[] {
  const out: Finding[] = [];
  for (const t of tasks) {
    const pair = doubleClaim(t);
    if (!pair) continue;
    const message =
      `task #${t.id} was claimed by both ${pair[0]} and ${pair[1]} (branches merged): agree who keeps it, ` +
      `then 'hzl task release ${t.id}' or 'hzl task steal ${t.id} --force'`;
    out.push(problem('double-claim', message));
  }
  return out;
}

function expiredLeaseNotes(tasks: Task[], at: Date): Finding[] {
  return expiredLeases(tasks, at).map((t) =>
    note(
      'expired-lease',
      `task #${t.id}: ${t.author}'s lease expired at ${displayTime(t.lease_until!)} (hzl task stuck)`,
    ),
  );
}
