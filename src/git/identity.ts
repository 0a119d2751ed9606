// `git config user.name`, the last fallback for who is acting.

import { gitAt, readEnv } from './repo.js';

/** Asked with the caller's environment: GIT_CONFIG_GLOBAL and friends decide which config counts. */
export async function gitUserName(dir: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  try {
    const result = await (await gitAt(dir, readEnv(env))).getConfig('user.name');
    const name = result.value?.trim();
    return name ? name : undefined;
  } catch {
    return undefined; // no git, or not a repository: the caller asks for --author
  }
}
