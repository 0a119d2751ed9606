// `git config user.name`, the last fallback for who is acting.

import { loadPackage } from '../bundles.js';

export async function gitUserName(dir: string): Promise<string | undefined> {
  try {
    const { simpleGit } = await loadPackage<typeof import('simple-git')>('simple-git');
    const result = await simpleGit({ baseDir: dir }).getConfig('user.name');
    const name = result.value?.trim();
    return name ? name : undefined;
  } catch {
    return undefined; // no git, or not a repository: the caller asks for --author
  }
}
