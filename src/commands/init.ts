import { join } from 'node:path';
import { defineCommand } from './spec.js';
import { hzlCommandLine } from '../bundles.js';
import { registerMergeDriver } from '../git/config.js';
import { writeAgentsBlock } from '../store/agents-md.js';
import { findGit } from '../store/project.js';
import { initProject } from '../store/init.js';

interface Args {
  agents?: boolean;
}

export const initCommand = defineCommand<Args>({
  command: 'init',
  describe: 'Create .hzl/ in this repository (safe to run again)',
  options: {
    agents: { type: 'boolean', describe: 'also write (or refresh) the hzl block in AGENTS.md' },
  },
  examples: [
    ['$0 init', 'set up hzl at the top of the current git repository'],
    ['$0 init --agents', 'and tell agents how to use it, in AGENTS.md'],
  ],
  run: async (args, ctx) => {
    const result = initProject(ctx.dir);
    const git = findGit(result.root);
    if (git && (await registerMergeDriver(git.worktreeRoot, hzlCommandLine(), ctx.env))) {
      result.created.push('merge driver (git config merge.hzl.driver)');
    }
    const setUp = result.created.length > 0; // .hzl/ or the merge driver was missing
    let agentsNote: string | undefined;
    if (args.agents) {
      const agents = writeAgentsBlock(result.root);
      if (agents.result !== 'unchanged') {
        result.created.push(`AGENTS.md (${agents.result})`);
        agentsNote = `AGENTS.md: the hzl block ${agents.result}`;
      }
    }
    const where = join(result.root, '.hzl');
    const warnings = result.inGit ? [] : ['not a git repository: tasks work, but nothing is versioned until you git init'];
    return {
      kind: 'init',
      json: { root: result.root, created: result.created, git: result.inGit },
      message: setUp
        ? `Initialized hzl in ${where} (${result.created.join(', ')})`
        : [`hzl is already set up in ${where}`, agentsNote].filter(Boolean).join('\n'),
      warnings,
    };
  },
});
