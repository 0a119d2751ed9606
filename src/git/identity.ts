// `git config user.name`, the last fallback for who is acting. One plain git process, without
// simple-git: loading simple-git costs more than the process, and a claim that learns its holder
// from git waits for this before its push can start.

import { optionalPlain, readEnv } from './repo.js';

/** Asked with the caller's environment: GIT_CONFIG_GLOBAL and friends decide which config counts. */
export async function gitUserName(dir: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  // Unset (exit 1), no git, or not a repository: undefined, and the caller asks for --author.
  const name = optionalPlain(dir, ['config', '--get', 'user.name'], readEnv(env))?.trim();
  return name ? name : undefined;
}
