// Where the ids already handed out in this clone are found, for numbering the next task: the
// task files here and in every other worktree, the counter the last add left behind, and the
// tombstones of deleted tasks. (Git history is the caller's, as `seenElsewhere`.)

import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type IdSource, type IgnoredId, nextTaskId } from '../core/ids.js';
import { taskIdOfFileName } from '../core/task.js';
import { type Project, findGit, otherWorktreeRoots } from './project.js';
import { readRegularFile } from './regular-file.js';
import { tombstoneIds } from './tombstones.js';

/** The id counter in the clone's state folder. */
export function counterPath(project: Project): string {
  return join(project.stateDir, 'last-id');
}

/**
 * The next id (called under the ids lock): above every id handed out in this clone and
 * `seenElsewhere` (git history), counting only ids up to the ceiling.
 */
export function nextIdIn(
  project: Project,
  localIds: Iterable<number>,
  seenElsewhere: number,
): { id: number; ignored: IgnoredId[] } {
  const rel = (path: string) => relative(project.root, path) || '.';
  const counter = counterPath(project);
  let counted = 0;
  try {
    counted = Number(readRegularFile(counter).trim());
  } catch {
    // Missing, or not a regular file (never read through a link): the files alone count.
  }
  return nextTaskId([
    { where: rel(project.tasksDir), ids: localIds },
    { where: `the id counter (${rel(counter)})`, ids: Number.isSafeInteger(counted) ? [counted] : [] },
    ...idsInOtherWorktrees(project),
    { where: '.hzl/deleted', ids: tombstoneIds(project) },
    { where: 'git history', ids: [seenElsewhere] },
  ]);
}

/** Ids of the task files in the other checkouts of this clone, committed or not. */
function idsInOtherWorktrees(project: Project): IdSource[] {
  const { worktreeRoot, gitCommonDir } = project;
  if (!worktreeRoot || !gitCommonDir) return [];
  const git = findGit(project.root);
  if (!git) return [];
  const folder = relative(worktreeRoot, project.tasksDir);
  const sources: IdSource[] = [];
  for (const root of otherWorktreeRoots(git)) {
    let names: string[];
    try {
      names = readdirSync(join(root, folder));
    } catch {
      continue;
    }
    sources.push({ where: join(root, folder), ids: names.map((name) => taskIdOfFileName(name) ?? 0) });
  }
  return sources;
}
