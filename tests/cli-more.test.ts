// Who did it: writes that end someone else's live claim need --force and History names the real
// actor; and every error's suggested command does what the message says.

import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type BoardEvent, type BoardKey, type BoardState, boardReducer, initialState } from '../src/ui/board-state.js';
import type { BoardTask } from '../src/ui/model.js';
import {
  HZL,
  baseEnv,
  hzl,
  quotedHzl,
  readTask,
  snapshot,
  taskFile,
  tempDir,
  tempRepo,
  runInProcess,
} from './helpers.js';

runInProcess();

const T0 = '2024-01-15T10:00:00Z';
const T1 = '2024-01-15T10:30:00Z'; // within agent-z's 2h lease
const LATE = '2024-01-15T13:00:00Z'; // after it
const now = (time: string, env: NodeJS.ProcessEnv = {}) => ({ env: { HZL_NOW: time, ...env } });

/** History lines without their times. */
const history = (repo: string, id: number) => {
  const text = readTask(repo, id);
  const start = text.indexOf('## History\n');
  const end = text.indexOf('\n## ', start + 1);
  return text
    .slice(start, end === -1 ? undefined : end)
    .split('\n')
    .filter((l) => l.startsWith('- '))
    .map((l) => l.replace(/^- \[[^\]]+\] /, ''));
};

/** A repo with task 1 claimed by agent-z at T0 (git user.name is Test User). */
function heldByAgentZ(options: { user?: boolean } = {}): string {
  const repo = tempRepo(options);
  expect(hzl(repo, ['task', 'add', 'Design the users API'], now(T0, { HZL_AUTHOR: 'alice' })).status).toBe(0);
  expect(hzl(repo, ['task', 'claim', '1', '--author', 'agent-z'], now(T0)).status).toBe(0);
  return repo;
}

/** Runs a command line as a shell would, with the built CLI as `hzl`. */
function runLine(repo: string, line: string, env: NodeJS.ProcessEnv = {}) {
  const cli = `"${process.execPath}" "${HZL}" `;
  const r = spawnSync(
    'bash',
    ['-c', line.replace(/(^|\| |^[A-Z_]+=\S+ )hzl /, (_, before: string) => `${before}${cli}`)],
    {
      cwd: repo,
      env: baseEnv(env),
      encoding: 'utf8',
      input: '',
    },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const ENDING: Array<{ verb: string; args: string[]; history: string }> = [
  { verb: 'complete', args: [], history: 'completed (in_progress → done)' },
  { verb: 'release', args: [], history: 'released (in_progress → ready)' },
  { verb: 'handoff', args: ['Tests remain'], history: 'handed off (in_progress → ready)' },
  { verb: 'archive', args: [], history: 'archived (in_progress → archived)' },
];

describe('who did it', () => {
  it('the seed: complete with no actor named acts for the holder, and History names who ran it', () => {
    const repo = heldByAgentZ();
    const r = hzl(repo, ['task', 'complete', '1'], now(T1));
    expect(r.status).toBe(0);
    expect(history(repo, 1).at(-1)).toBe('agent-z: completed (in_progress → done) (run by Test User)');
    const shown = JSON.parse(hzl(repo, ['task', 'show', '1', '--json']).stdout).task.history.at(-1);
    expect(shown).toMatchObject({ author: 'agent-z', text: 'completed (in_progress → done) (run by Test User)' });
    expect(hzl(repo, ['task', 'history', '1']).stdout).toContain(
      'agent-z: completed (in_progress → done) (run by Test User)\n',
    );
  });

  it('says nothing more when git has no user.name, or it is the holder', () => {
    const bare = heldByAgentZ({ user: false });
    expect(hzl(bare, ['task', 'release', '1'], now(T1)).status).toBe(0);
    expect(history(bare, 1).at(-1)).toBe('agent-z: released (in_progress → ready)');
    const same = heldByAgentZ();
    spawnSync('git', ['config', 'user.name', 'agent-z'], { cwd: same });
    expect(hzl(same, ['task', 'complete', '1'], now(T1)).status).toBe(0);
    expect(history(same, 1).at(-1)).toBe('agent-z: completed (in_progress → done)');
  });

  for (const { verb, args, history: line } of ENDING) {
    describe(verb, () => {
      it('by a named actor who does not hold the live claim: exit 4, one line, nothing written', () => {
        const repo = heldByAgentZ();
        writeFileSync(join(repo, '.hzl', 'config.yml'), 'commit: false\nlease: 2h\nauthor: carol\n');
        const before = snapshot(repo);
        const ways: Array<[string[], NodeJS.ProcessEnv, string]> = [
          [['--author', 'bob'], {}, 'bob'],
          [[], { HZL_AUTHOR: 'bob' }, 'bob'],
          [[], {}, 'carol'],
        ];
        for (const [flags, env, who] of ways) {
          const r = hzl(repo, ['task', verb, '1', ...args, ...flags], now(T1, env));
          expect(r.status).toBe(4);
          expect(r.stderr).toMatch(
            new RegExp(`^hzl: task #1 is claimed by agent-z \\(lease until [^)]+\\), not by ${who}; .*--force\\n$`),
          );
          expect(snapshot(repo)).toEqual(before);
        }
      });

      it('with --force: done, and History says whose claim it overrode', () => {
        const repo = heldByAgentZ();
        const r = hzl(repo, ['task', verb, '1', ...args, '--author', 'bob', '--force'], now(T1));
        expect(r.status).toBe(0);
        expect(history(repo, 1).at(-1)).toBe(`bob: ${line} (claim of agent-z, --force)`);
      });

      it('by the holder named explicitly, or on an expired claim: no --force needed', () => {
        const own = heldByAgentZ();
        expect(hzl(own, ['task', verb, '1', ...args, '--author', 'agent-z'], now(T1)).status).toBe(0);
        expect(history(own, 1).at(-1)).toBe(`agent-z: ${line}`);
        const expired = heldByAgentZ();
        expect(hzl(expired, ['task', verb, '1', ...args], now(LATE, { HZL_AUTHOR: 'bob' })).status).toBe(0);
        expect(history(expired, 1).at(-1)).toBe(`bob: ${line} (claim of agent-z, lease expired)`);
      });

      it("the refusal's suggested command does what it says", () => {
        const repo = heldByAgentZ();
        const r = hzl(repo, ['task', verb, '1', ...args, '--author', 'Bob Dev'], now(T1));
        expect(r.status).toBe(4);
        const suggested = /run: (hzl .*)$/.exec(r.stderr.trim())?.[1];
        expect(suggested).toMatch(/--force$/);
        const again = runLine(repo, suggested!, { HZL_NOW: T1 });
        expect(again).toMatchObject({ status: 0 });
        expect(history(repo, 1).at(-1)).toBe(`Bob Dev: ${line} (claim of agent-z, --force)`);
      });
    });
  }

  it('other writes by someone else are recorded as theirs, without --force (config author counts as named)', () => {
    const repo = heldByAgentZ();
    expect(
      hzl(repo, ['task', 'block', '1', '--reason', 'waiting for keys'], now(T1, { HZL_AUTHOR: 'bob' })).status,
    ).toBe(0);
    expect(history(repo, 1).at(-1)).toBe('bob: blocked (in_progress → blocked)');
    writeFileSync(join(repo, '.hzl', 'config.yml'), 'commit: false\nlease: 2h\nauthor: carol\n');
    expect(hzl(repo, ['task', 'unblock', '1'], now(T1)).status).toBe(0);
    expect(history(repo, 1).at(-1)).toBe('carol: unblocked (blocked → in_progress)');
    // A checkpoint still defaults to the holder, before config's author.
    expect(hzl(repo, ['task', 'checkpoint', '1', 'keys arrived'], now(T1)).status).toBe(0);
    expect(readTask(repo, 1)).toMatch(/\] agent-z: keys arrived\n/);
  });

  it('a note in History survives later writes byte for byte, and reads the same when written by hand', () => {
    const repo = heldByAgentZ();
    expect(hzl(repo, ['task', 'release', '1', '--author', 'Bob Dev', '--force'], now(T1)).status).toBe(0);
    const written = readTask(repo, 1);
    expect(hzl(repo, ['task', 'update', '1', '--priority', '2'], now(LATE, { HZL_AUTHOR: 'bob' })).status).toBe(0);
    const after = readTask(repo, 1);
    const line = written.split('\n').find((l) => l.includes('(claim of agent-z, --force)'))!;
    expect(after.split('\n')).toContain(line);
    expect(hzl(repo, ['doctor']).status).toBe(0);
    // Written by hand in show's form, it reads the same: the actor, then the text with its note.
    const file = taskFile(repo, 1);
    const hand = '- [2024-01-15 14:00] Bob Dev: archived (ready → archived) (claim of agent-z, --force)';
    writeFileSync(file, after.replace(`${line}\n`, `${line}\n${hand}\n`));
    const read = JSON.parse(hzl(repo, ['task', 'history', '1', '--json']).stdout).history as Array<{ at: string }>;
    expect(read.find((h) => h.at === '2024-01-15T14:00:00Z')).toEqual({
      at: '2024-01-15T14:00:00Z',
      author: 'Bob Dev',
      text: 'archived (ready → archived) (claim of agent-z, --force)',
    });
  });
});

describe('a refused handoff of several lines', () => {
  it('suggests the note on stdin again, and that command hands it off', () => {
    const repo = heldByAgentZ();
    const note = 'Done: schema\nRemaining: tests';
    const r = hzl(repo, ['task', 'handoff', '1', '-', '--author', 'bob'], { input: note, env: { HZL_NOW: T1 } });
    expect(r.status).toBe(4);
    const suggested = /run: (hzl .*)$/.exec(r.stderr.trim())?.[1];
    expect(suggested).toBe('hzl task handoff 1 - --author bob --force');
    const again = spawnSync(
      'bash',
      ['-c', `printf '%s' "$NOTE" | ${suggested!.replace(/^hzl /, `"${process.execPath}" "${HZL}" `)}`],
      {
        cwd: repo,
        env: baseEnv({ HZL_NOW: T1, NOTE: note }),
        encoding: 'utf8',
      },
    );
    expect(again.status, again.stderr).toBe(0);
    expect(readTask(repo, 1)).toContain('bob: HANDOFF: Done: schema\n  Remaining: tests\n');
  });
});

describe("the board's write keys ask for the same key again", () => {
  const at = '2024-01-15T10:00:00Z';
  const card = (id: number, status: BoardTask['status']): BoardTask => ({
    id,
    title: `Task ${id}`,
    status,
    priority: 0,
    tags: [],
    depends_on: [],
    created: at,
    updated: at,
  });
  const start = () => initialState({ tasks: [card(1, 'in_progress'), card(2, 'ready')], warnings: [] }, new Date(at));
  const press = (state: BoardState, ...inputs: Array<string | BoardKey>) =>
    inputs.reduce<BoardState>((s, i) => {
      const event: BoardEvent =
        typeof i === 'string'
          ? { type: 'key', input: i, key: {}, page: 10 }
          : { type: 'key', input: '', key: i, page: 10 };
      return boardReducer(s, event);
    }, state);
  const acts = (s: BoardState) => s.effects.filter((e) => e.kind === 'act');

  for (const [key, action, verb] of [
    ['c', 'claim', 'claim'],
    ['d', 'complete', 'complete'],
    ['r', 'release', 'release'],
  ] as const) {
    it(`${key} asks first; ${key} again runs ${action}`, () => {
      const asked = press(start(), key);
      expect(acts(asked)).toEqual([]);
      expect(asked.message).toEqual({ text: `Press ${key} again to ${verb} #1; any other key cancels`, error: false });
      const done = press(asked, key);
      expect(acts(done)).toEqual([{ kind: 'act', action, id: 1 }]);
    });
  }

  it('any other key cancels and does nothing else, also in the detail view', () => {
    for (const other of ['x', 'c', 'q', { escape: true }, { downArrow: true }]) {
      const s = press(start(), 'd', other);
      expect(acts(s)).toEqual([]);
      expect(s.quit).toBe(false);
      expect(s.message).toEqual({ text: 'Cancelled: #1 was not completed', error: false });
      expect(acts(press(s, 'd'))).toEqual([]); // a new question, not a confirmation
    }
    const detail = press(start(), { return: true });
    expect(detail.detail?.id).toBe(1);
    expect(acts(press(detail, 'r', 'j', 'r'))).toEqual([]);
    expect(acts(press(detail, 'r', 'r'))).toEqual([{ kind: 'act', action: 'release', id: 1 }]);
  });

  it('typed twice in one chunk it confirms; while a write runs the keys are ignored', () => {
    expect(acts(press(start(), 'dd'))).toEqual([{ kind: 'act', action: 'complete', id: 1 }]);
    const busy = press(start(), 'c', 'c');
    expect(press(busy, 'd', 'd').effects).toEqual(busy.effects);
  });
});

// Every error that suggests a command: trigger it, take the command from stderr, run it as a shell
// would (in the same folder and environment) and check it did what the message says.
interface Case {
  name: string;
  /** Sets the repository up and returns the failing call; `cwd` is relative to the repository. */
  setup(repo: string): { args: string[]; env?: NodeJS.ProcessEnv; cwd?: string };
  /** The command(s) to run, taken from stderr (and the failing call, for "pass --force"). */
  suggested(stderr: string, args: string[]): string[];
  check(repo: string, run: (args: string[], env?: NodeJS.ProcessEnv) => ReturnType<typeof hzl>): void;
}

const first = (stderr: string) => [quotedHzl(stderr)[0] ?? `no 'hzl …' in: ${stderr}`];
const withForce = (stderr: string, args: string[]) => {
  expect(stderr).toMatch(/pass --force/);
  return [shellLine([...args, '--force'])];
};
const shellLine = (args: string[]) =>
  ['hzl', ...args].map((w) => (/^[\w@%+=:,./#-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
const field = (repo: string, id: number, key: string) =>
  new RegExp(`^${key}: (.*)$`, 'm').exec(readTask(repo, id))?.[1];
const BOB = { HZL_AUTHOR: 'bob', HZL_NOW: T1 };

/** An "editor": a script that runs `sed EXPR` on the file it is given. */
function sedEditor(expr: string): string {
  const path = join(tempDir(), 'editor.sh');
  writeFileSync(path, `#!/bin/sh\nsed -i '${expr}' "$1"\n`);
  chmodSync(path, 0o755);
  return path;
}

function withTasks(repo: string, ...titles: string[]): void {
  for (const title of titles)
    expect(hzl(repo, ['task', 'add', title], now(T0, { HZL_AUTHOR: 'alice' })).status).toBe(0);
}

const CASES: Case[] = [
  {
    name: 'claim of a live claim → steal --force',
    setup: (repo) => {
      withTasks(repo, 'A');
      hzl(repo, ['task', 'claim', '1'], now(T0, { HZL_AUTHOR: 'agent-z' }));
      return { args: ['task', 'claim', '1'], env: BOB };
    },
    suggested: first,
    check: (repo) => expect(field(repo, 1, 'author')).toBe('bob'),
  },
  {
    name: 'claim of an expired claim → steal --if-expired',
    setup: (repo) => {
      withTasks(repo, 'A');
      hzl(repo, ['task', 'claim', '1'], now(T0, { HZL_AUTHOR: 'agent-z' }));
      return { args: ['task', 'claim', '1'], env: { ...BOB, HZL_NOW: LATE } };
    },
    suggested: first,
    check: (repo) => expect(field(repo, 1, 'author')).toBe('bob'),
  },
  {
    name: 'claim of a blocked task → unblock first',
    setup: (repo) => {
      withTasks(repo, 'A');
      hzl(repo, ['task', 'block', '1', '--reason', 'keys'], now(T0, BOB));
      return { args: ['task', 'claim', '1'], env: BOB };
    },
    suggested: first,
    check: (_repo, run) => expect(run(['task', 'claim', '1'], BOB).status).toBe(0),
  },
  {
    name: 'claim of a done task → reopen first',
    setup: (repo) => {
      withTasks(repo, 'A');
      hzl(repo, ['task', 'complete', '1'], now(T0, BOB));
      return { args: ['task', 'claim', '1'], env: BOB };
    },
    suggested: first,
    check: (_repo, run) => expect(run(['task', 'claim', '1'], BOB).status).toBe(0),
  },
  {
    name: 'steal of a ready task → claim',
    setup: (repo) => {
      withTasks(repo, 'A');
      return { args: ['task', 'steal', '1', '--force'], env: BOB };
    },
    suggested: first,
    check: (repo) => expect(field(repo, 1, 'author')).toBe('bob'),
  },
  {
    name: 'steal of your own claim → claim renews the lease',
    setup: (repo) => {
      withTasks(repo, 'A');
      hzl(repo, ['task', 'claim', '1'], now(T0, BOB));
      return { args: ['task', 'steal', '1', '--force'], env: BOB };
    },
    suggested: first,
    check: (repo) => expect(field(repo, 1, 'lease_until')).toBe('2024-01-15T12:30:00Z'),
  },
  {
    name: 'steal --if-expired of a live claim → steal --force',
    setup: (repo) => {
      withTasks(repo, 'A');
      hzl(repo, ['task', 'claim', '1'], now(T0, { HZL_AUTHOR: 'agent-z' }));
      return { args: ['task', 'steal', '1', '--if-expired'], env: BOB };
    },
    suggested: first,
    check: (repo) => expect(field(repo, 1, 'author')).toBe('bob'),
  },
  {
    name: 'steal with neither flag → one of --if-expired or --force',
    setup: (repo) => {
      withTasks(repo, 'A');
      hzl(repo, ['task', 'claim', '1'], now(T0, { HZL_AUTHOR: 'agent-z' }));
      return { args: ['task', 'steal', '1'], env: BOB };
    },
    suggested: (stderr, args) => [shellLine([...args, '--force'])].filter(() => /--force \(any claim\)/.test(stderr)),
    check: (repo) => expect(field(repo, 1, 'author')).toBe('bob'),
  },
  {
    name: 'claim with an unfinished dependency → pass --force',
    setup: (repo) => {
      withTasks(repo, 'A', 'B');
      hzl(repo, ['task', 'update', '2', '--depends-on', '1'], now(T0, BOB));
      return { args: ['task', 'claim', '2'], env: BOB };
    },
    suggested: withForce,
    check: (repo) => expect(field(repo, 2, 'status')).toBe('in_progress'),
  },
  {
    name: 'complete with open subtasks → pass --force',
    setup: (repo) => {
      withTasks(repo, 'A', 'B');
      hzl(repo, ['task', 'update', '2', '--parent', '1'], now(T0, BOB));
      return { args: ['task', 'complete', '1'], env: BOB };
    },
    suggested: withForce,
    check: (repo) => expect(field(repo, 1, 'status')).toBe('done'),
  },
  {
    name: 'delete of a held task → pass --force',
    setup: (repo) => {
      withTasks(repo, 'A');
      hzl(repo, ['task', 'claim', '1'], now(T0, { HZL_AUTHOR: 'agent-z' }));
      return { args: ['task', 'delete', '1'], env: BOB };
    },
    suggested: withForce,
    check: (_repo, run) => expect(run(['task', 'show', '1'], BOB).status).toBe(3),
  },
  {
    name: "delete of someone else's task with checkpoints → archive keeps them",
    setup: (repo) => {
      withTasks(repo, 'A');
      hzl(repo, ['task', 'claim', '1'], now(T0, { HZL_AUTHOR: 'agent-z' }));
      hzl(repo, ['task', 'checkpoint', '1', 'half done'], now(T0));
      return { args: ['task', 'delete', '1'], env: { ...BOB, HZL_AUTHOR: 'Bob Dev' } };
    },
    suggested: (stderr) => [/keep them with: (hzl .*)$/.exec(stderr.trim())?.[1] ?? stderr],
    check: (repo) => {
      expect(field(repo, 1, 'status')).toBe('archived');
      expect(readTask(repo, 1)).toContain('half done');
    },
  },
  {
    name: 'a task that does not exist → list shows the tasks there are',
    setup: (repo) => {
      withTasks(repo, 'A');
      return { args: ['task', 'show', '9'] };
    },
    suggested: first,
    check: () => undefined, // the suggested command's own output is checked below
  },
  {
    name: 'not an hzl project → hzl init',
    setup: (repo) => {
      rmSync(join(repo, '.hzl'), { recursive: true });
      return { args: ['task', 'list'] };
    },
    suggested: first,
    check: (_repo, run) => expect(run(['task', 'add', 'A'], BOB).status).toBe(0),
  },
  {
    name: 'the tasks folder is missing (from a subfolder) → hzl init restores it',
    setup: (repo) => {
      rmSync(join(repo, '.hzl', 'tasks'), { recursive: true });
      mkdirSync(join(repo, 'src'));
      return { args: ['task', 'add', 'A'], env: BOB, cwd: 'src' };
    },
    suggested: first,
    check: (repo, run) => {
      expect(existsSync(join(repo, 'src', '.hzl'))).toBe(false);
      expect(run(['task', 'add', 'A'], BOB).status).toBe(0);
    },
  },
  {
    name: 'a read-only task file (from a subfolder) → the chmod it names',
    setup: (repo) => {
      withTasks(repo, 'A');
      chmodSync(taskFile(repo, 1), 0o444);
      mkdirSync(join(repo, 'src'));
      return { args: ['task', 'checkpoint', '1', 'note'], env: BOB, cwd: 'src' };
    },
    suggested: (stderr) => [/(chmod u\+w (?:'[^']*'|[^\s']+))/.exec(stderr)?.[1] ?? `no chmod in: ${stderr}`],
    check: (_repo, run) => expect(run(['task', 'checkpoint', '1', 'note'], BOB).status).toBe(0),
  },
  {
    name: "a command word without its group → 'hzl task add'",
    setup: () => ({ args: ['add', 'Write docs'], env: BOB }),
    suggested: (stderr, args) => first(stderr).map((cmd) => shellLine([...cmd.split(' ').slice(1), ...args.slice(1)])),
    check: (repo) => expect(field(repo, 1, 'title')).toBe('Write docs'),
  },
  {
    name: "a word that looks like an option → the same call with '--'",
    setup: (repo) => {
      withTasks(repo, 'A');
      return { args: ['task', 'checkpoint', '1', '-x', 'marks the spot'], env: BOB };
    },
    suggested: (stderr) => [/goes after '--': (hzl .*)$/.exec(stderr.trim())?.[1] ?? stderr],
    check: (repo) => expect(readTask(repo, 1)).toContain('bob: -x marks the spot\n'),
  },
  {
    name: 'a value that looks like an option → attach it',
    setup: () => ({ args: ['task', 'add', 'A', '-d', '-v'], env: BOB }),
    suggested: (stderr) => [
      shellLine(['task', 'add', 'A', /written as '(--description=-v)'/.exec(stderr)?.[1] ?? stderr]),
    ],
    check: (repo) => expect(readTask(repo, 1)).toMatch(/---\n\n?-v\n/),
  },
  {
    name: 'a new task in progress → use --status backlog',
    setup: () => ({ args: ['task', 'add', 'A', '--status', 'in_progress'], env: BOB }),
    suggested: (stderr) => [
      shellLine(['task', 'add', 'A', ...(/use (--status backlog)/.exec(stderr)?.[1] ?? stderr).split(' ')]),
    ],
    check: (repo) => expect(field(repo, 1, 'status')).toBe('backlog'),
  },
  {
    name: 'nobody to act as → --author NAME',
    setup: (repo) => {
      spawnSync('git', ['config', '--unset', 'user.name'], { cwd: repo });
      return { args: ['task', 'add', 'A'] };
    },
    suggested: (stderr, args) => [
      shellLine([...args, ...(/pass (--author) NAME/.test(stderr) ? ['--author', 'dana'] : [])]),
    ],
    check: (repo) => expect(readTask(repo, 1)).toContain('dana: created'),
  },
  {
    name: 'nobody to act as → HZL_AUTHOR, or author in config',
    setup: (repo) => {
      spawnSync('git', ['config', '--unset', 'user.name'], { cwd: repo });
      return { args: ['task', 'add', 'A'] };
    },
    suggested: (stderr) => {
      expect(stderr).toMatch(/set HZL_AUTHOR, or set 'author' in \.hzl\/config\.yml/);
      return ['HZL_AUTHOR=erin hzl task add B', "printf 'author: finn\\n' >> .hzl/config.yml"];
    },
    check: (repo, run) => {
      expect(readTask(repo, 1)).toContain('erin: created');
      expect(run(['task', 'add', 'C']).status).toBe(0);
      expect(readTask(repo, 2)).toContain('finn: created');
    },
  },
  {
    name: 'claim without an id → name one, or --next',
    setup: (repo) => {
      withTasks(repo, 'A');
      return { args: ['task', 'claim'], env: BOB };
    },
    suggested: (stderr, args) => {
      expect(stderr).toMatch(/\(hzl task claim 1\), or pass --next/);
      return [shellLine([...args, '--next'])];
    },
    check: (repo) => expect(field(repo, 1, 'author')).toBe('bob'),
  },
  {
    name: 'a lock nobody releases (from a subfolder) → remove the file it names',
    setup: (repo) => {
      withTasks(repo, 'A');
      // A lock that looks held by a live process (this test's) on this host: it is waited for.
      writeFileSync(join(repo, '.git', 'hzl', 'locks', 'task-1.lock'), `${process.pid} ${hostname()}\n`);
      mkdirSync(join(repo, 'src'));
      return { args: ['task', 'checkpoint', '1', 'note'], env: { ...BOB, HZL_LOCK_TIMEOUT_MS: '200' }, cwd: 'src' };
    },
    suggested: (stderr) => [/if no hzl is running: (rm .+)\)$/.exec(stderr.trim())?.[1] ?? 'nothing-named'],
    check: (_repo, run) => expect(run(['task', 'checkpoint', '1', 'note']).status).toBe(0),
  },
  {
    name: 'a broken edit (from a subfolder) → the copy it names is there, and edit starts again',
    setup: (repo) => {
      withTasks(repo, 'First draft');
      mkdirSync(join(repo, 'src'));
      return {
        args: ['task', 'edit', '1'],
        env: { ...BOB, EDITOR: sedEditor('s/^status: ready/status: sideways/') },
        cwd: 'src',
      };
    },
    suggested: (stderr) => {
      const copy = /your edit is kept in (\S+) \(/.exec(stderr)?.[1] ?? 'no-copy-named';
      return [`test -f ${copy}`, `EDITOR=${sedEditor('s/First draft/Second draft/')} ${first(stderr)[0]}`];
    },
    check: (repo) => expect(field(repo, 1, 'title')).toBe('Second draft'),
  },
];

describe('every suggested command does what the message says', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const repo = tempRepo();
      const { args, env = {}, cwd = '.' } = c.setup(repo);
      const dir = join(repo, cwd);
      const failed = hzl(dir, args, { env });
      expect(failed.status, failed.stderr).not.toBe(0);
      expect(failed.stderr.split('\n').filter(Boolean)).toHaveLength(1);
      for (const line of c.suggested(failed.stderr, args)) {
        const r = runLine(dir, line, env);
        expect({ line, status: r.status, stderr: r.stderr }).toMatchObject({ line, status: 0 });
        if (c.name.startsWith('a task that does not exist')) expect(r.stdout).toMatch(/^1\tready\t/);
      }
      c.check(repo, (more, moreEnv = env) => hzl(dir, more, { env: moreEnv }));
    });
  }
});

describe("'-' on a terminal", () => {
  it.skipIf(spawnSync('script', ['--version']).status !== 0)(
    'suggests the same command with the text piped in, and that works',
    () => {
      const repo = tempRepo();
      withTasks(repo, 'A');
      // `script` gives the command a terminal for stdin and stdout; -e passes its exit code on.
      const r = spawnSync(
        'script',
        ['-qec', `"${process.execPath}" "${HZL}" task checkpoint 1 - --author 'Bob Dev'`, '/dev/null'],
        {
          cwd: repo,
          env: baseEnv(),
          encoding: 'utf8',
        },
      );
      expect(r.status).toBe(2);
      const suggested = /pipe the text in \((.*)\) or give it as words/.exec(r.stdout)?.[1];
      expect(suggested).toBe("echo 'text' | hzl task checkpoint 1 - --author 'Bob Dev'");
      const again = runLine(repo, suggested!.replace(/\| hzl /, `| "${process.execPath}" "${HZL}" `));
      expect(again.status, again.stderr).toBe(0);
      expect(readTask(repo, 1)).toMatch(/\] Bob Dev: text\n/);
    },
  );
});

describe('suggestions that take two steps', () => {
  it("two files for one id: 'hzl doctor' names the fix, and after it the task reads", () => {
    const repo = tempRepo();
    withTasks(repo, 'One');
    writeFileSync(join(repo, '.hzl', 'tasks', '1-copy.md'), readTask(repo, 1));
    const failed = hzl(repo, ['task', 'show', '1']);
    expect(failed.status).toBe(5);
    const doctor = runLine(repo, first(failed.stderr)[0]!);
    const fix = quotedHzl(doctor.stdout + doctor.stderr)[0];
    expect(fix).toBe('hzl doctor --fix');
    expect(runLine(repo, fix!).status).toBe(0);
    expect(hzl(repo, ['task', 'show', '1']).status).toBe(0);
    expect(hzl(repo, ['task', 'show', '2']).status).toBe(0);
  });

  it("config.yml as a folder: move it aside, 'hzl init' writes a new one", () => {
    const repo = tempRepo();
    rmSync(join(repo, '.hzl', 'config.yml'));
    mkdirSync(join(repo, '.hzl', 'config.yml'));
    const failed = hzl(repo, ['task', 'list']);
    expect(failed.stderr).toMatch(/move it aside and run 'hzl init'/);
    expect(runLine(repo, 'mv .hzl/config.yml .hzl/config.yml.aside').status).toBe(0);
    expect(runLine(repo, first(failed.stderr)[0]!).status).toBe(0);
    expect(readFileSync(join(repo, '.hzl', 'config.yml'), 'utf8')).toMatch(/^lease: 2h$/m);
    expect(hzl(repo, ['task', 'list']).status).toBe(0);
  });

  it('a task missing on a branch: the suggested list shows what that branch has', () => {
    const repo = tempRepo();
    withTasks(repo, 'On main');
    spawnSync('git', ['add', '-A'], { cwd: repo });
    spawnSync('git', ['commit', '-qm', 'tasks'], { cwd: repo });
    const failed = hzl(repo, ['task', 'show', '7', '--branch', 'main']);
    expect(failed.status).toBe(3);
    const r = runLine(repo, first(failed.stderr)[0]!);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^1\tready\t0\t-\tOn main\n$/);
  });
});
