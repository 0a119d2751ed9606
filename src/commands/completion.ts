// `hzl completion [bash|zsh|fish]` prints a script for the shell; the script calls the hidden
// `hzl __complete SHELL WORDS…` (complete.ts) at every tab.

import { UsageError } from '../core/errors.js';
import { defineCommand } from './spec.js';

const SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof SHELLS)[number];

const SCRIPTS: Record<Shell, string> = {
  bash: `###-begin-hzl-completions-###
# hzl completion for bash: hzl completion bash >> ~/.bashrc
_hzl_completions() {
  local IFS=$'\\n'
  COMPREPLY=($(hzl __complete bash "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o bashdefault -o default -F _hzl_completions hzl
###-end-hzl-completions-###
`,
  zsh: `#compdef hzl
# hzl completion for zsh: hzl completion zsh >> ~/.zshrc (after compinit)
_hzl() {
  local -a items
  items=(\${(f)"$(hzl __complete zsh "\${(@)words[2,CURRENT]}" 2>/dev/null)"})
  if (( \${#items} )); then _describe 'hzl' items; else _files; fi
}
if (( $+functions[compdef] )); then compdef _hzl hzl; fi
`,
  fish: `# hzl completion for fish: hzl completion fish > ~/.config/fish/completions/hzl.fish
function __hzl_complete
    set -l words (commandline -opc) (commandline -ct)
    hzl __complete fish $words[2..-1] 2>/dev/null
end
complete -c hzl -f -a '(__hzl_complete)'
`,
};

function shellOf(name: string | undefined, env: NodeJS.ProcessEnv): Shell {
  if (name !== undefined) {
    if ((SHELLS as readonly string[]).includes(name)) return name as Shell;
    throw new UsageError(`no completion for the shell '${name}': choose one of ${SHELLS.join(', ')}`);
  }
  const login = (env.SHELL ?? '').split('/').pop();
  return (SHELLS as readonly string[]).includes(login ?? '') ? (login as Shell) : 'bash';
}

export const completionCommand = defineCommand<{ shell?: string }>({
  command: 'completion [shell]',
  describe: 'Print a shell completion script: bash, zsh or fish (default: the one $SHELL names)',
  positionals: { shell: 'bash, zsh or fish' },
  examples: [
    ['$0 completion >> ~/.bashrc', 'tab completion in every new bash'],
    ['$0 completion zsh >> ~/.zshrc', 'the zsh script'],
    ['$0 completion fish > ~/.config/fish/completions/hzl.fish', 'the fish script'],
  ],
  run: (args, ctx) => {
    if (ctx.json)
      throw new UsageError(
        "'hzl completion' prints a shell script and has no --json form; see 'hzl completion --help'",
      );
    const shell = shellOf(args.shell, ctx.env);
    return { kind: 'completion', json: {}, text: SCRIPTS[shell] };
  },
});
