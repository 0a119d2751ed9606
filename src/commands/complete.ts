// `hzl __complete SHELL WORDS…`, called by the scripts of `hzl completion` at every tab: it answers
// from the command declarations (the same ones the grammar reads) and, where a task id is wanted,
// from the summary index.

import { withoutControls } from '../core/printable.js';
import { STATUSES } from '../core/task.js';
import { type Ctx, openWorkspace } from './context.js';
import { GROUPS, TOP_COMMANDS, lookupCommand } from './registry.js';
import {
  type CommandSpec,
  GLOBAL_OPTIONS,
  type OptionSpec,
  commandWord,
  defineCommand,
  positionalsOf,
} from './spec.js';

type Candidate = [value: string, description: string];

function spelling(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}

/** What can stand at the last of `words` (the word being typed, maybe empty). */
export function candidates(words: string[], ctx: Ctx): Candidate[] {
  const current = words.at(-1) ?? '';
  const before = words.slice(0, -1);
  const commandWords = before.filter((w) => !w.startsWith('-'));
  const found = lookupCommand(commandWords);
  const options: Record<string, OptionSpec> = { ...GLOBAL_OPTIONS, ...found?.spec.options };
  const previous = before.at(-1);
  const takesValue = previous?.startsWith('-')
    ? Object.entries(options).find(([n, o]) => spelling(n) === previous || (o.alias && spelling(o.alias) === previous))
    : undefined;
  if (takesValue && takesValue[1].type === 'string') return valuesOf(takesValue[0], takesValue[1], ctx);
  if (current.startsWith('-')) {
    const out: Candidate[] = [['--help', 'show help']];
    for (const [name, option] of Object.entries(options)) {
      out.push([spelling(name), option.describe]);
      if (option.alias) out.push([spelling(option.alias), option.describe]);
    }
    return out;
  }
  if (!found) {
    const group = commandWords[0] !== undefined ? GROUPS[commandWords[0]] : undefined;
    if (group) return group.commands.map((c): Candidate => [commandWord(c), c.describe]);
    return [
      ...Object.entries(GROUPS).map(([name, g]): Candidate => [name, g.describe]),
      ...TOP_COMMANDS.filter((c) => commandWord(c) !== 'merge-driver').map(
        (c): Candidate => [commandWord(c), c.describe],
      ),
    ];
  }
  const given = commandWords.length - found.words;
  const next = positionalsOf(found.spec as CommandSpec)[given];
  return next?.name === 'id' ? taskIds(ctx) : [];
}

function valuesOf(name: string, option: OptionSpec, ctx: Ctx): Candidate[] {
  if (option.choices) return option.choices.map((c): Candidate => [c, '']);
  if (name === 'status') return STATUSES.map((s): Candidate => [s, '']);
  if (name === 'parent' || name === 'depends-on') return taskIds(ctx);
  return [];
}

/** Open tasks first, then the rest, each with its title; none outside a project. */
function taskIds(ctx: Ctx): Candidate[] {
  try {
    const { tasks } = openWorkspace(ctx).store.summaries();
    const open = (s: string) => (s === 'done' || s === 'archived' ? 1 : 0);
    return tasks
      .sort((a, b) => open(a.status) - open(b.status) || a.id - b.id)
      .map((t): Candidate => [String(t.id), `${t.title} (${t.status})`]);
  } catch {
    return [];
  }
}

/** One line a candidate, in the form the shell's script reads; only those the typed word starts. */
export function formatCandidates(shell: string, current: string, list: Candidate[]): string {
  const clean = (text: string) => withoutControls(text, ' ');
  const lines = list
    .filter(([value]) => value.startsWith(current))
    .map(([value, what]) => {
      if (shell === 'zsh') return what ? `${value.replace(/:/g, '\\:')}:${clean(what)}` : value.replace(/:/g, '\\:');
      if (shell === 'fish') return what ? `${value}\t${clean(what)}` : value;
      return value;
    });
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** `hzl __complete SHELL WORDS…`: never an error, at worst nothing to offer. */
export const completeCommand = defineCommand<{ words: string[] }>({
  command: '__complete <words..>',
  describe: 'answer the completion scripts (hidden)',
  examples: [],
  run: (args, ctx) => {
    const [shell = 'bash', ...words] = args.words;
    let text = '';
    try {
      text = formatCandidates(shell, words.at(-1) ?? '', candidates(words.length ? words : [''], ctx));
    } catch {
      text = '';
    }
    return { kind: 'completions', json: {}, text };
  },
});
