import { join } from 'node:path';
import { defineCommand } from './spec.js';
import { hzlCommandLine } from '../bundles.js';
import { registerMergeDriver } from '../git/config.js';
import { writeAgentsBlock } from '../store/agents-md.js';
import { findGit } from '../store/project.js';
import { initProject, initRoot } from '../store/init.js';
import { UsageError } from '../core/errors.js';
import { printable } from '../core/validate.js';
import { isRemoteName } from '../format/config.js';
import { checkRemote, setRemote } from './init-remote.js';
import { WORKFLOW_PATH, writeGithubWorkflow } from './init-github.js';

interface Args {
  agents?: boolean;
  remote?: string;
  github?: boolean;
}

export const initCommand = defineCommand<Args>({
  command: 'init',
  describe: 'Create .hzl/ in this repository (safe to run again)',
  options: {
    agents: { type: 'boolean', describe: 'also write (or refresh) the hzl block in AGENTS.md' },
    github: { type: 'boolean', describe: `also write ${WORKFLOW_PATH}, which runs hzl doctor --ci on pull requests` },
    remote: {
      type: 'string',
      describe: 'coordinate ids and claims across clones through this git remote (like origin)',
    },
  },
  examples: [
    ['$0 init', 'set up hzl at the top of the current git repository'],
    ['$0 init --agents', 'and tell agents how to use it, in AGENTS.md'],
    ['$0 init --github', 'check the task files of every pull request on GitHub'],
    ['$0 init --remote origin', 'ids and claims agreed through origin by every clone (docs/clones.md)'],
  ],
  run: async (args, ctx) => {
    if (args.remote !== undefined && !isRemoteName(String(args.remote))) {
      throw new UsageError(
        `--remote '${printable(String(args.remote))}' is not a git remote name; ` +
          'pass one like origin (see git remote -v)',
      );
    }
    if (args.remote !== undefined) checkRemote(initRoot(ctx.dir), String(args.remote), ctx.env);
    const result = initProject(ctx.dir);
    if (args.remote !== undefined && setRemote(result.root, String(args.remote))) {
      result.created.push(`remote: ${args.remote} (.hzl/config.yml)`);
    }
    const git = findGit(result.root);
    if (git && (await registerMergeDriver(git.worktreeRoot, hzlCommandLine(), ctx.env))) {
      result.created.push('merge driver (git config merge.hzl.driver)');
    }
    if (args.github && writeGithubWorkflow(result.root)) result.created.push(WORKFLOW_PATH);
    const setUp = result.created.length > 0; // .hzl/, the merge driver or the workflow was missing
    let agentsNote: string | undefined;
    if (args.agents) {
      const agents = writeAgentsBlock(result.root);
      if (agents.result !== 'unchanged') {
        result.created.push(`AGENTS.md (${agents.result})`);
        agentsNote = `AGENTS.md: the hzl block ${agents.result}`;
      }
    }
    const where = join(result.root, '.hzl');
    const warnings = result.inGit
      ? []
      : ['not a git repository: tasks work, but nothing is versioned until you git init'];
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
