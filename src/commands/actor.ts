// Who is acting: --author, else HZL_AUTHOR, else `author` in config (a checkpoint takes the
// task's holder before config), else the holder of a claimed task, else `git config user.name`.

import { UsageError } from '../core/errors.js';
import { authorProblem, checkAuthor, normalizeAuthor } from '../core/validate.js';
import { gitUserName } from '../git/identity.js';
import type { Project } from '../store/project.js';
import type { Ctx } from './context.js';

export async function resolveActor(ctx: Ctx, project: Project, holder?: string): Promise<string> {
  return explicitActor(ctx) ?? holder ?? (await defaultActor(project, ctx.env));
}

/** The actor named by --author or HZL_AUTHOR, which come before everything else. */
export function explicitActor(ctx: Ctx): string | undefined {
  if (ctx.author !== undefined) return checkAuthor(ctx.author, '--author');
  if (ctx.env.HZL_AUTHOR) return checkAuthor(ctx.env.HZL_AUTHOR, 'HZL_AUTHOR');
  return undefined;
}

/** The actor when there is no holder either: config, else git (which runs a process). */
export async function defaultActor(project: Project, env: NodeJS.ProcessEnv): Promise<string> {
  if (project.config.author) return project.config.author;
  const gitName = await gitUserName(project.root, env);
  if (gitName) return checkAuthor(gitName, 'git config user.name');
  throw new UsageError("who is acting? pass --author NAME, set HZL_AUTHOR, or set 'author' in .hzl/config.yml");
}

/** Who runs hzl as git knows them, when that is a name hzl can write; else undefined. */
export async function runningPerson(project: Project, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const name = normalizeAuthor((await gitUserName(project.root, env)) ?? '');
  return name && !authorProblem(name) ? name : undefined;
}
