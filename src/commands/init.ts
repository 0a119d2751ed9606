import { join } from 'node:path';
import { defineCommand } from './spec.js';
import { initProject } from '../store/init.js';

export const initCommand = defineCommand<object>({
  command: 'init',
  describe: 'Create .hzl/ in this repository (safe to run again)',
  examples: [
    ['$0 init', 'set up hzl at the top of the current git repository'],
  ],
  run: (_args, ctx) => {
    const result = initProject(ctx.dir);
    const where = join(result.root, '.hzl');
    const warnings = result.inGit ? [] : ['not a git repository: tasks work, but nothing is versioned until you git init'];
    return {
      kind: 'init',
      json: { root: result.root, created: result.created, git: result.inGit },
      message: result.created.length
        ? `Initialized hzl in ${where} (${result.created.join(', ')})`
        : `hzl is already set up in ${where}`,
      warnings,
    };
  },
});
