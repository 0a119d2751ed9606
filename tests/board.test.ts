// `hzl board`: the ink board under ink-testing-library (key presses change what is drawn), the
// plain-text board when piped, `--once`, and once in a real terminal (tmux) where tmux exists.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createElement } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GlobalArgs } from '../src/commands/context.js';
import { baseEnv, hzl, HZL, readTask, runInProcess, taskFile, tempDir, tempRepo } from './helpers.js';

runInProcess();

// ink's colours (chalk) are decided when it is first imported.
process.env.FORCE_COLOR = '0';
let ink: typeof import('ink-testing-library');
let BoardApp: typeof import('../src/ui/board-app.js').BoardApp;
let boardSource: typeof import('../src/commands/board.js').boardSource;
let contextOf: typeof import('../src/commands/context.js').contextOf;

beforeAll(async () => {
  ink = await import('ink-testing-library');
  ({ BoardApp } = await import('../src/ui/board-app.js'));
  ({ boardSource } = await import('../src/commands/board.js'));
  ({ contextOf } = await import('../src/commands/context.js'));
});

afterEach(() => ink?.cleanup());

const NOW = '2024-01-15T15:00:00Z';

/** The seed's repository: #1 claimed with checkpoints, #2 ready, #3 in the backlog, #4 done. */
function seededRepo(): string {
  const repo = tempRepo();
  const env = { HZL_AUTHOR: 'alice', HZL_NOW: '2024-01-15T10:00:00Z' };
  const run = (...args: string[]) => {
    const r = hzl(repo, args, { env });
    if (r.status !== 0) throw new Error(`hzl ${args.join(' ')} failed: ${r.stderr}`);
  };
  run('task', 'add', 'Implement user authentication', '-d', 'Email and password; sessions expire after 24 h');
  run('task', 'add', 'Add rate limiting', '-p', '2', '-d', 'Per-IP token bucket');
  run('task', 'add', 'Write the API docs', '-s', 'backlog', '--depends-on', '2');
  run('task', 'add', 'Set up CI');
  run('task', 'claim', '1', '--author', 'claude-code');
  hzl(repo, ['task', 'checkpoint', '1', 'Designed schema with users, sessions, tokens tables'], {
    env: { HZL_NOW: '2024-01-15T10:30:00Z' },
  });
  hzl(repo, ['task', 'checkpoint', '1', 'Started on Session model, need to add expiry logic'], {
    env: { HZL_NOW: '2024-01-15T14:20:00Z' },
  });
  run('task', 'complete', '4');
  return repo;
}

function renderBoard(repo: string, env: NodeJS.ProcessEnv = {}) {
  const io = { stdout: { write: () => true }, stderr: { write: () => true }, readStdin: async () => '' };
  const args: GlobalArgs = {
    surroundings: { cwd: repo, env: baseEnv({ HZL_NOW: NOW, HZL_AUTHOR: 'bob', ...env }), io },
  };
  const source = boardSource(contextOf(args), args);
  return ink.render(createElement(BoardApp, { source, width: 120, height: 30 }));
}

async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

type App = ReturnType<typeof renderBoard>;

/** Types keys one write each, as fast as they come: the board must keep up without a pause. */
function press(app: App, ...keys: string[]): void {
  for (const key of keys) app.stdin.write(key);
}

/**
 * Waits for a frame that shows `expected` (every string, or a match) and returns it; on timeout
 * fails with the last frame drawn, so a slow machine gives time and a wrong frame gives the reason.
 */
async function see(app: App, ...expected: Array<string | RegExp>): Promise<string> {
  const shows = (text: string) => expected.every((e) => (typeof e === 'string' ? text.includes(e) : e.test(text)));
  await until(expected.join(' and '), () => shows(frame(app)), 15_000).catch((err: Error) => {
    throw new Error(`${err.message}; the last frame was:\n${frame(app)}`);
  });
  return frame(app);
}

const frame = (app: App) => app.lastFrame() ?? '';
const KEY = { right: '\u001b[C', left: '\u001b[D', down: '\u001b[B', up: '\u001b[A', enter: '\r', escape: '\u001b' };

describe('hzl board (ink)', () => {
  it('draws one column per status with id, title, author and the age of the last checkpoint', () => {
    const repo = seededRepo();
    hzl(repo, ['task', 'add', 'Old idea'], { env: { HZL_AUTHOR: 'alice' } });
    hzl(repo, ['task', 'archive', '5'], { env: { HZL_AUTHOR: 'alice' } });
    const app = renderBoard(repo);
    const text = frame(app);
    for (const column of ['Backlog (1)', 'Ready (1)', 'In progress (1)', 'Blocked (0)', 'Done (1)'])
      expect(text).toContain(column);
    expect(text).toContain('#1 Implement user');
    expect(text).toContain('claude-code · 40m ago'); // newest checkpoint at 14:20, now 15:00
    expect(text).toContain('#2 Add rate limiting');
    expect(text).toContain('#3 Write the API docs');
    expect(text).toContain('#4 Set up CI');
    expect(text).not.toContain('Old idea'); // archived: not on the board
    expect(text).toContain('›#1'); // the cursor starts on the work in progress
    expect(text).not.toMatch(/\u001b\[\d+m/);
  });

  it('moves with arrows and h/j/k/l; Enter opens the task under the cursor, Esc goes back', async () => {
    const app = renderBoard(seededRepo());
    await see(app, '›#1 Implement user');
    press(app, KEY.left); // in progress → ready
    await see(app, '›#2 Add rate limiting');
    press(app, 'h'); // → backlog
    await see(app, '›#3 Write the API docs');
    press(app, 'l', 'l', KEY.right); // → ready → in progress → done (blocked is empty)
    await see(app, '›#4 Set up CI');
    press(app, 'h', 'h', KEY.enter); // back to ready, open #2
    const detail = await see(app, '#2 Add rate limiting', 'Status: ready', 'Per-IP token bucket');
    expect(detail).not.toContain('Backlog (');
    press(app, KEY.escape);
    await see(app, 'Backlog (1)');
    press(app, 'l', KEY.enter); // #1, with its dependencies and every checkpoint
    await see(
      app,
      '#1 Implement user authentication',
      '[2024-01-15 10:30] claude-code: Designed schema with users, sessions, tokens tables',
      '[2024-01-15 14:20] claude-code: Started on Session model, need to add expiry logic',
    );
    press(app, KEY.escape); // alone: Esc and a key right after it read as Alt+key, as in a terminal
    await see(app, 'Backlog (1)');
    press(app, 'h', 'h', KEY.enter); // #3 depends on #2
    await see(app, /Depends on:\s+#2 \(ready\) Add rate limiting/);
  });

  it('c claims the selected task for HZL_AUTHOR: the file changes and the card moves', async () => {
    const repo = seededRepo();
    const app = renderBoard(repo);
    await see(app, '›#1 Implement user');
    press(app, KEY.left);
    await see(app, '›#2 Add rate limiting');
    press(app, 'c');
    await see(app, 'Press c again to claim #2; any other key cancels');
    press(app, 'c');
    await see(app, 'Claimed #2 for bob');
    expect(readTask(repo, 2)).toMatch(/^status: in_progress$/m);
    expect(readTask(repo, 2)).toMatch(/^author: bob$/m);
    expect(readTask(repo, 2)).toContain('bob: claimed (ready → in_progress, lease 2h)');
    await see(app, 'In progress (2)', '›#2 Add rate limiting'); // the cursor followed it
    press(app, 'r', 'r');
    await see(app, 'Released #2');
    expect(readTask(repo, 2)).toMatch(/^status: ready$/m);
    press(app, 'd', 'x');
    await see(app, 'Cancelled: #2 was not completed');
    expect(readTask(repo, 2)).toMatch(/^status: ready$/m);
    press(app, 'd', 'd');
    await see(app, 'Completed #2');
    expect(readTask(repo, 2)).toMatch(/^status: done$/m);
  });

  it('one write at a time: an action key pressed while one runs is ignored', async () => {
    const repo = seededRepo();
    const app = renderBoard(repo);
    await see(app, '›#1 Implement user');
    press(app, KEY.left, 'c', 'c', 'd', 'd'); // `d d` arrives while the claim is still running
    await see(app, 'Claimed #2 for bob', 'In progress (2)');
    expect(readTask(repo, 2)).toMatch(/^status: in_progress$/m);
    expect(readTask(repo, 2)).not.toContain('completed');
  });

  it('shows a refusal from the core transitions without writing', async () => {
    const repo = seededRepo();
    const before = readTask(repo, 1);
    const app = renderBoard(repo);
    await see(app, '›#1 Implement user');
    press(app, 'c', 'c'); // #1 is claude-code's
    await see(app, 'hzl: task #1 is already claimed by claude-code');
    expect(readTask(repo, 1)).toBe(before);
  });

  it('redraws when another agent checkpoints, without restarting', async () => {
    const repo = seededRepo();
    const app = renderBoard(repo);
    await see(app, '›#1 Implement user');
    press(app, KEY.enter);
    await see(app, 'Checkpoints (2)');
    const r = hzl(repo, ['task', 'checkpoint', '1', 'Session expiry done; next: refresh tokens'], {
      env: { HZL_NOW: NOW },
    });
    expect(r.status).toBe(0);
    await see(app, 'Session expiry done; next: refresh tokens', 'Checkpoints (3)');
    press(app, KEY.escape);
    await see(app, 'claude-code · just n'); // cut to the column's width
    hzl(repo, ['task', 'add', 'Brand new task'], { env: { HZL_AUTHOR: 'carol' } });
    await see(app, '#5 Brand new task');
  });

  it('/ filters by text and a by author; Esc in the prompt clears the filter', async () => {
    const app = renderBoard(seededRepo());
    await see(app, '›#1 Implement user');
    press(app, '/', ...'rate', KEY.enter);
    expect(await see(app, 'text "rate"', '#2 Add rate limiting')).not.toContain('#1 Implement');
    press(app, '/', KEY.escape);
    expect(await see(app, '#1 Implement')).not.toContain('text "rate"');
    press(app, 'a', ...'claude', KEY.enter);
    expect(await see(app, 'author "claude"', '#1 Implement')).not.toContain('#2 Add rate limiting');
  });

  it('keys typed faster than the board draws all land, one write each or all in one', async () => {
    const repo = seededRepo();
    const before = readTask(repo, 1);
    const app = renderBoard(repo);
    await see(app, '›#1 Implement user');
    press(app, '/', 'r', 'a', 't', 'e'); // five writes before the board has drawn again
    await see(app, 'filter: rate');
    press(app, KEY.enter);
    expect(await see(app, 'text "rate"', '#2 Add rate limiting')).not.toContain('#1 Implement');
    press(app, '/', KEY.escape); // clears the filter
    await see(app, '#1 Implement', '#2 Add rate limiting');
    app.stdin.write('aclaude'); // one write, as a terminal delivers keys typed while hzl was busy
    await see(app, 'author: claude');
    expect(readTask(repo, 1)).toBe(before); // no stray `r` released #1, no `c` claimed anything
  });

  it('the detail view scrolls through every checkpoint', async () => {
    const repo = seededRepo();
    const notes = Array.from({ length: 40 }, (_, i) => `step ${i + 1} done`).join('\n');
    expect(hzl(repo, ['task', 'checkpoint', '1', '-'], { env: { HZL_NOW: NOW }, input: notes }).status).toBe(0);
    const app = renderBoard(repo);
    await see(app, '›#1 Implement user');
    press(app, KEY.enter);
    expect(await see(app, 'Checkpoints (3)', /… \d+ more lines \(j\/↓\)/)).not.toContain('step 40 done');
    press(app, ...Array(45).fill('j'));
    expect(await see(app, 'step 40 done')).not.toContain('more lines');
  });

  it('q quits: the board stops listening to keys', async () => {
    const app = renderBoard(seededRepo());
    await see(app, '›#1 Implement user');
    expect(app.stdin.listenerCount('readable')).toBeGreaterThan(0);
    press(app, 'q', '/');
    // The exit unmounts the board, which lets go of stdin: an event, not a pause.
    await until('the board to let go of stdin', () => app.stdin.listenerCount('readable') === 0);
    press(app, '/');
    expect(frame(app)).not.toContain('filter:');
  });
});

describe('hzl board (not a terminal)', () => {
  it('prints the board as plain text, without escape codes, and exits 0', () => {
    const repo = seededRepo();
    const r = hzl(repo, ['board'], { env: { HZL_NOW: NOW, FORCE_COLOR: '1', NO_COLOR: '' } });
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).toBe(
      [
        'Backlog (1)',
        '  #3 Write the API docs (unclaimed · no checkpoint)',
        '',
        'Ready (1)',
        '  #2 Add rate limiting (unclaimed · no checkpoint)',
        '',
        'In progress (1)',
        '  #1 Implement user authentication (claude-code · 40m ago)',
        '',
        'Blocked (0)',
        '  -',
        '',
        'Done (1)',
        '  #4 Set up CI (no author · no checkpoint)',
        '',
      ].join('\n'),
    );
  });

  it('--once draws the interactive board one time and exits (for the bench)', () => {
    const r = hzl(seededRepo(), ['board', '--once'], { env: { HZL_NOW: NOW, COLUMNS: '100', LINES: '20' } });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('In progress (1)');
    expect(r.stdout).toContain('›#1 Implement user');
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout.split('\n').length).toBeLessThanOrEqual(21);
  });

  it('--json lists the columns', () => {
    const r = hzl(seededRepo(), ['board', '--json'], { env: { HZL_NOW: NOW } });
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.kind).toBe('board');
    expect(doc.columns.map((c: { status: string }) => c.status)).toEqual([
      'backlog',
      'ready',
      'in_progress',
      'blocked',
      'done',
    ]);
    expect(doc.columns[2].tasks[0]).toMatchObject({
      id: 1,
      author: 'claude-code',
      last_checkpoint: { at: '2024-01-15T14:20:00Z' },
    });
  });

  it('keeps ink and react out of the main bundle', () => {
    const main = readFileSync(new URL('../dist/main.js', import.meta.url), 'utf8');
    expect(main).not.toMatch(/react|yoga/i);
  });
});

const hasTmux = spawnSync('tmux', ['-V']).status === 0;

describe.skipIf(!hasTmux)('hzl board in a real terminal (tmux)', () => {
  it('draws, moves, claims, follows an external checkpoint and quits', async () => {
    const repo = seededRepo();
    const socket = join(tempDir(), 'tmux.sock'); // a server of our own, removed with the folder
    const tmux = (...args: string[]) =>
      spawnSync('tmux', ['-S', socket, ...args], { encoding: 'utf8', env: baseEnv({ TERM: 'xterm-256color' }) });
    const screen = () => tmux('capture-pane', '-p', '-t', 'board').stdout;
    // CI=true: ink alone would then draw nothing until exit; the board must not care.
    const env = Object.entries({ HZL_AUTHOR: 'bob', HZL_NOW: NOW, TERM: 'xterm-256color', CI: 'true' })
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    const command = `cd '${repo}' && env ${env} '${process.execPath}' '${HZL}' board; echo "board exited $?"; sleep 60`;
    expect(tmux('new-session', '-d', '-s', 'board', '-x', '120', '-y', '24', command).status).toBe(0);
    try {
      await until('the first frame', () => screen().includes('In progress (1)'), 15_000).catch((e: Error) => {
        throw new Error(`${e.message}; the terminal showed:\n${screen()}`);
      });
      expect(screen()).toContain('›#1 Implement user');
      tmux('send-keys', '-t', 'board', 'Left');
      await until('the cursor on #2', () => screen().includes('›#2 Add rate limiting'));
      tmux('send-keys', '-t', 'board', 'c');
      await until('the question', () => screen().includes('Press c again to claim #2'));
      tmux('send-keys', '-t', 'board', 'c');
      await until('the claim', () => screen().includes('Claimed #2 for bob'));
      expect(readFileSync(taskFile(repo, 2), 'utf8')).toMatch(/^author: bob$/m);
      tmux('send-keys', '-t', 'board', 'Enter');
      await until('the detail view', () => screen().includes('Status: in_progress'));
      hzl(repo, ['task', 'checkpoint', '2', 'Token bucket sketched in rate.ts'], {
        env: { HZL_AUTHOR: 'bob', HZL_NOW: NOW },
      });
      await until('the external checkpoint', () => screen().includes('Token bucket sketched in rate.ts'));
      tmux('send-keys', '-t', 'board', 'q');
      await until('the exit', () => screen().includes('board exited 0'));
    } finally {
      tmux('kill-server');
    }
  });
});
