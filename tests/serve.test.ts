// `hzl serve`: the server as a user starts it (a child process in a real repository), spoken to
// over HTTP, and the pages in a real browser (Debian's Chromium through playwright-core).

import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pollTasks } from '../src/commands/serve-source.js';
import { git, hzl, readTask, ROOT, runInProcess, snapshot, tempDir, tempRepo } from './helpers.js';
import {
  type BrowserContext,
  fetchText,
  hasChromium,
  launchChromium,
  openEvents,
  postForm,
  seededRepo,
  serve,
  stopServers,
} from './serve-helpers.js';

runInProcess();

afterEach(stopServers);

const XSS_TITLE = '<script>window.__hzlPwned = 1</script><img src=x onerror="window.__hzlPwned = 2"> & "quotes"';

describe('hzl serve over HTTP', () => {
  it('prints its address with a token, on 127.0.0.1, and serves the board without a token', async () => {
    const served = await serve(seededRepo());
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{32}$/);
    const board = await fetchText(`${served.base}/`);
    expect(board.status).toBe(200);
    for (const title of ['Implement user authentication', 'Add rate limiting', 'Write the API docs', 'Set up CI']) {
      expect(board.body).toContain(title);
    }
    expect(board.headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('refuses a write without the token, with a wrong one, and from another origin; nothing is written', async () => {
    const repo = seededRepo();
    const before = snapshot(repo);
    const served = await serve(repo);
    expect((await postForm(served, '/task/2/claim', {})).status).toBe(403);
    expect((await postForm(served, '/task/2/claim', { token: 'f'.repeat(32) })).status).toBe(403);
    const withToken = { token: served.token };
    const crossSite = await postForm(served, '/task/2/claim', withToken, { Origin: 'http://evil.example' });
    expect(crossSite.status).toBe(403);
    const rebinding = { Host: 'evil.example', Origin: 'http://evil.example' };
    const rebound = await postForm(served, '/task/2/claim', withToken, rebinding);
    expect(rebound.status).toBe(403);
    const plainText = await postForm(served, '/task/2/claim', withToken, { 'Content-Type': 'text/plain' });
    expect(plainText.status).toBe(415);
    const huge = await postForm(served, '/task/2/checkpoint', { ...withToken, text: 'x'.repeat(1024 * 1024 + 10) });
    expect(huge.status).toBe(413);
    expect(huge.body).toContain('larger than 1 MiB');
    expect(snapshot(repo)).toEqual(before);
  });

  it('shows no words a link brings (notices are its own); the token link never leads elsewhere', async () => {
    const served = await serve(seededRepo());
    const spoof = await fetchText(`${served.base}/task/1?done=Your+session+expired&msg=Visit+evil.example`);
    expect(spoof.body).not.toContain('session expired');
    expect(spoof.body).not.toContain('evil.example');
    const away = await fetchText(served.base, { rawPath: `/a/..//evil.example/?token=${served.token}` });
    expect(away.status).toBe(303);
    expect(away.headers.location).toBe('/evil.example/');
  });

  it('answers only to its own Host (no DNS rebinding reads)', async () => {
    const served = await serve(seededRepo());
    const reply = await fetchText(`${served.base}/task/1`, { headers: { Host: 'attacker.example:80' } });
    expect(reply.status).toBe(403);
    expect(reply.body).not.toContain('Implement user authentication');
  });

  it('a write with the token runs the CLI: a claim shows in `hzl task show`, with its History line', async () => {
    const repo = seededRepo();
    const served = await serve(repo, [], { HZL_AUTHOR: 'supervisor' });
    const reply = await postForm(served, '/task/2/claim', { token: served.token });
    expect(reply.status).toBe(303);
    expect(reply.headers.location).toMatch(/^\/task\/2\?done=[0-9a-f]{16}$/);
    const after = await fetchText(`${served.base}${reply.headers.location}`);
    expect(after.body).toMatch(/<p class="notice" role="status">Claimed #2 for supervisor/);
    const show = hzl(repo, ['task', 'show', '2', '--json']);
    expect(JSON.parse(show.stdout).task).toMatchObject({ status: 'in_progress', author: 'supervisor' });
    expect(readTask(repo, 2)).toMatch(/- \[[^\]]+\] supervisor: claimed/);
  });

  it("a checkpoint whose text is '-' is that text, never a read of the server's stdin", async () => {
    const repo = seededRepo();
    const served = await serve(repo, [], { HZL_AUTHOR: 'supervisor' });
    const reply = await postForm(served, '/task/1/checkpoint', { token: served.token, text: '-' });
    expect(reply.status).toBe(303);
    const { task } = JSON.parse(hzl(repo, ['task', 'show', '1', '--json']).stdout);
    expect(task.checkpoints.at(-1)).toMatchObject({ author: 'supervisor', text: '-' });
  });

  it('a refused write shows why, and offers the text again', async () => {
    const repo = seededRepo();
    const served = await serve(repo, [], { HZL_AUTHOR: 'supervisor' });
    const before = snapshot(repo);
    const long = `\nkeep me, with the line break I began with ${'x'.repeat(70 * 1024)}`;
    const reply = await postForm(served, '/task/1/checkpoint', { token: served.token, text: long });
    expect(reply.status).toBe(400);
    expect(reply.body).toContain('class="notice error');
    expect(reply.body).toContain(`>\n${long}</textarea>`); // the parser drops the first newline only
    expect(snapshot(repo)).toEqual(before);
  });

  it('escapes every title: HTML and script are shown as text', async () => {
    const repo = tempRepo();
    expect(hzl(repo, ['task', 'add', XSS_TITLE], { env: { HZL_AUTHOR: 'alice' } }).status).toBe(0);
    const served = await serve(repo);
    for (const path of ['/', '/task/1', '/search?q=script']) {
      const { body } = await fetchText(`${served.base}${path}`);
      expect(body).not.toContain('<script>window');
      expect(body).not.toContain('<img src=x');
      expect(body).toContain('&lt;script&gt;window.__hzlPwned = 1&lt;/script&gt;');
    }
  });

  it('sends an SSE frame when a CLI checkpoint changes a task file', async () => {
    const repo = seededRepo();
    const served = await serve(repo);
    const events = await openEvents(served);
    try {
      await events.next('ready');
      const change = events.next('change');
      const cli = hzl(repo, ['task', 'checkpoint', '1', 'From the CLI'], { env: { HZL_AUTHOR: 'claude-code' } });
      expect(cli.status).toBe(0);
      expect(Number(await change)).toBeGreaterThan(0);
    } finally {
      events.close();
    }
  });

  it('sends an SSE frame when a git pull brings a task file', async () => {
    const repo = seededRepo();
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'tasks');
    git(repo, 'checkout', '-q', '-b', 'elsewhere');
    const elsewhere = hzl(repo, ['task', 'checkpoint', '2', 'From another clone'], { env: { HZL_AUTHOR: 'codex' } });
    expect(elsewhere.status).toBe(0);
    git(repo, 'commit', '-q', '-am', 'checkpoint elsewhere');
    git(repo, 'checkout', '-q', 'main');
    const served = await serve(repo);
    const events = await openEvents(served);
    try {
      await events.next('ready');
      const change = events.next('change');
      git(repo, 'merge', '-q', '--ff-only', 'elsewhere');
      await change;
      expect((await fetchText(`${served.base}/task/2`)).body).toContain('From another clone');
    } finally {
      events.close();
    }
  });

  it('filters by author, tag and status from the URL', async () => {
    const served = await serve(seededRepo());
    const { body } = await fetchText(`${served.base}/?tag=api&status=ready`);
    expect(body).toContain('Add rate limiting');
    expect(body).not.toContain('Write the API docs'); // api, but in the backlog
    expect(body).not.toContain('Implement user authentication');
    const mine = await fetchText(`${served.base}/?author=claude-code`);
    expect(mine.body).toContain('Implement user authentication');
    expect(mine.body).not.toContain('Set up CI');
  });
});

/** Resolves when `check` holds, looking again after each turn of the event loop's timers. */
async function until(check: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** `count` ready tasks written as files (as a merge or another clone would bring them). */
function manyTasks(repo: string, count: number): void {
  for (let id = 1; id <= count; id++) {
    const stamp = '2024-01-15T10:00:00Z';
    const text = `---
id: ${id}
title: Task number ${id}
status: ready
priority: 0
created: ${stamp}
updated: ${stamp}
---

## Checkpoints

## History

- [${stamp}] alice: created (ready)
`;
    writeFileSync(join(repo, '.hzl', 'tasks', `${id}-task-number-${id}.md`), text);
  }
}

describe('hzl serve: the pages', () => {
  it('a task page shows the lease, the links and the handoff note highlighted', async () => {
    const repo = seededRepo();
    expect(hzl(repo, ['task', 'claim', '2'], { env: { HZL_AUTHOR: 'alice' } }).status).toBe(0);
    const asAlice = { env: { HZL_AUTHOR: 'alice' } };
    const handoff = hzl(repo, ['task', 'handoff', '2', 'Bucket sizes in config.yml', '--to', 'codex'], asAlice);
    expect(handoff.status).toBe(0);
    const served = await serve(repo, [], { HZL_NOW: '2024-01-15T12:50:00Z' });
    const one = (await fetchText(`${served.base}/task/1`)).body;
    expect(one).toContain('until 2024-01-15 13:20 (30m left)');
    const three = (await fetchText(`${served.base}/task/3`)).body;
    const dependency = '<a href="/task/2">#2</a> <span class="status ready">ready</span> Add rate limiting';
    expect(three).toContain(`<dt>Depends on</dt><dd><div>${dependency}`);
    const two = (await fetchText(`${served.base}/task/2`)).body;
    expect(two).toMatch(/<li class="handoff">[\s\S]*?HANDOFF: Bucket sizes in config.yml/);
    expect(two).toContain('<dt>Handoff to</dt><dd>codex</dd>');
  });

  it('an expired lease shows on the card and on the task page', async () => {
    const served = await serve(seededRepo(), [], { HZL_NOW: '2024-01-16T09:00:00Z' });
    const board = (await fetchText(`${served.base}/`)).body;
    expect(board).toMatch(/#1 Implement user authentication<\/div>\n<div class="detail">[^\n]*lease expired/);
    expect(board.match(/lease expired/g)).toHaveLength(1);
    const taskPage = (await fetchText(`${served.base}/task/1`)).body;
    expect(taskPage).toContain('expired 19h ago (was until 2024-01-15 13:20): anyone may steal it');
  });

  it('an unknown task is a 404 page that says so', async () => {
    const served = await serve(seededRepo());
    const reply = await fetchText(`${served.base}/task/99`);
    expect(reply.status).toBe(404);
    expect(reply.body).toContain('task #99 not found');
  });

  it('search finds checkpoint text; changes lists what this branch did since main', async () => {
    const repo = tempRepo();
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'hzl init');
    git(repo, 'checkout', '-q', '-b', 'feature');
    const asAlice = { env: { HZL_AUTHOR: 'alice' } };
    expect(hzl(repo, ['task', 'add', 'Add rate limiting'], asAlice).status).toBe(0);
    const checkpoint = hzl(repo, ['task', 'checkpoint', '1', 'Chose a token bucket per IP'], asAlice);
    expect(checkpoint.status).toBe(0);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'rate limiting');
    const served = await serve(repo);
    const search = (await fetchText(`${served.base}/search?q=token+bucket`)).body;
    expect(search).toContain('#1 Add rate limiting');
    expect(search).toContain('Chose a token bucket per IP');
    const changes = (await fetchText(`${served.base}/changes?base=main`)).body;
    expect(changes).toContain('Changes since main');
    expect(changes).toMatch(/<a href="\/task\/1">#1<\/a> Add rate limiting .* · new on this branch/);
    expect(changes).toContain('alice · checkpoint: Chose a token bucket per IP');
  });

  it('with --json, the address is one JSON document on stdout', async () => {
    const served = await serve(tempRepo(), ['--json'], { HZL_AUTHOR: 'supervisor' });
    const doc = JSON.parse(served.stdout());
    expect(doc).toMatchObject({ kind: 'serve', host: '127.0.0.1', actor: 'supervisor', url: served.url });
    expect(doc.port).toBe(Number(new URL(served.base).port));
  });
});

describe('hzl serve: size and lifetime', () => {
  it('shows at most 100 cards a column, with a link to all of them', async () => {
    const repo = tempRepo();
    manyTasks(repo, 130);
    const served = await serve(repo);
    const { body } = await fetchText(`${served.base}/`);
    expect(body.match(/class="card /g)).toHaveLength(100);
    expect(body).toContain('30 more: <a href="/?status=ready&amp;all=1">show all</a>');
    const all = await fetchText(`${served.base}/?status=ready&all=1`);
    expect(all.body.match(/class="card /g)).toHaveLength(130);
  });

  it('--open hands the address to the system opener', async () => {
    const bin = tempDir();
    const opened = join(bin, 'opened');
    const opener = `#!/bin/sh\nprintf '%s' "$1" > '${opened}.tmp' && mv '${opened}.tmp' '${opened}'\n`;
    writeFileSync(join(bin, 'xdg-open'), opener);
    chmodSync(join(bin, 'xdg-open'), 0o755);
    const served = await serve(tempRepo(), ['--open'], { PATH: `${bin}:${process.env.PATH}` });
    await until(() => existsSync(opened));
    expect(readFileSync(opened, 'utf8')).toBe(served.url);
  });

  it('the poll beside fs.watch sees an edit in place (no rename, as some file systems report nothing)', async () => {
    const repo = seededRepo();
    const file = join(repo, '.hzl', 'tasks', '2-add-rate-limiting.md');
    let changes = 0;
    const stop = pollTasks(join(repo, '.hzl', 'tasks'), () => (changes += 1), 50);
    try {
      writeFileSync(file, `${readFileSync(file, 'utf8')}- [2024-01-15T12:00:00Z] bob: edited by hand\n`);
      await until(() => changes > 0);
    } finally {
      stop();
    }
  });

  it('SIGTERM stops it with exit 0', async () => {
    const served = await serve(tempRepo());
    const code = new Promise((done) => served.child.once('exit', (c) => done(c)));
    served.child.kill('SIGTERM');
    expect(await code).toBe(0);
  });

  it('the start-up bundle holds none of the web server: it is dist/serve.mjs, loaded by `hzl serve` only', () => {
    const main = readFileSync(join(ROOT, 'dist', 'main.js'), 'utf8');
    expect(main).not.toContain('text/event-stream');
    expect(main).not.toContain('Content-Security-Policy');
    expect(readFileSync(join(ROOT, 'dist', 'serve.mjs'), 'utf8')).toContain('text/event-stream');
  });
});

describe('hzl serve: bad input', () => {
  it('a bad --port or --host is a usage error (exit 2), one line', () => {
    const repo = tempRepo();
    for (const args of [
      ['--port', 'http'],
      ['--port', '70000'],
      ['--host', 'a b'],
    ]) {
      const r = hzl(repo, ['serve', ...args]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^hzl: --(port|host) takes .+\n$/);
    }
  });

  it('outside a project it says so (exit 5) and listens nowhere', () => {
    const r = hzl(tempDir(), ['serve', '--port', '0']);
    expect(r.status).toBe(5);
    expect(r.stderr).toMatch(/^hzl: .*hzl init/);
  });

  it('a port the user chose that is taken is a conflict (exit 4)', async () => {
    const repo = tempRepo();
    const first = await serve(repo);
    const port = new URL(first.base).port;
    const r = hzl(repo, ['serve', '--port', port]);
    expect(r.status).toBe(4);
    expect(r.stderr).toBe(`hzl: port ${port} is in use; choose another with --port N (--port 0 takes any free one)\n`);
  });

  it('another address than loopback needs --host and prints a warning', async () => {
    const served = await serve(tempRepo(), ['--host', '0.0.0.0']);
    expect(served.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+\//);
    expect(served.stderr()).toContain('hzl: warning: serving on 0.0.0.0: anyone who can reach it can read the tasks');
  });
});

describe.skipIf(!hasChromium)('hzl serve in Chromium', () => {
  let chromium: { browser: BrowserContext; close(): Promise<void> };
  beforeAll(async () => {
    chromium = await launchChromium();
  });
  afterAll(async () => chromium?.close());

  async function openPage(url: string) {
    const page = await chromium.browser.newPage();
    page.setDefaultTimeout(60_000); // a busy 2-core machine
    const requests: string[] = [];
    const errors: string[] = []; // script errors and console errors (a CSP refusal is one)
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => (m.type() === 'error' ? errors.push(m.text()) : undefined));
    await page.goto(url);
    return { page, requests, errors };
  }

  it('the board shows the seed scenario’s tasks in their columns, with no request leaving the server', async () => {
    const served = await serve(seededRepo());
    const { page, requests, errors } = await openPage(served.url);
    try {
      await page.locator('[data-status="in_progress"] .card', { hasText: 'Implement user authentication' }).waitFor();
      await page.locator('[data-status="ready"] .card', { hasText: 'Add rate limiting' }).waitFor();
      await page.locator('[data-status="backlog"] .card', { hasText: 'Write the API docs' }).waitFor();
      await page.locator('[data-status="done"] .card', { hasText: 'Set up CI' }).waitFor();
      expect(page.url()).toBe(`${served.base}/`); // the token went into a cookie
      expect(requests.every((u) => u.startsWith(served.base))).toBe(true);
      await page.locator('body[data-live="on"]').waitFor(); // the script ran under the page's CSP
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('a CLI checkpoint appears on an open task page without a reload', async () => {
    const repo = seededRepo();
    const served = await serve(repo);
    const { page } = await openPage(`${served.base}/task/1`);
    try {
      await page.locator('body[data-live="on"]').waitFor();
      await page.evaluate(() => ((window as unknown as { kept: number }).kept = 42));
      const asAgent = { env: { HZL_AUTHOR: 'claude-code' } };
      const r = hzl(repo, ['task', 'checkpoint', '1', 'Session expiry done; next: refresh tokens'], asAgent);
      expect(r.status).toBe(0);
      await page.locator('.timeline li', { hasText: 'Session expiry done; next: refresh tokens' }).waitFor();
      expect(await page.evaluate(() => (window as unknown as { kept?: number }).kept)).toBe(42); // same page: no reload
    } finally {
      await page.close();
    }
  });

  it('the board moves a card when an agent claims its task from the CLI, without a reload', async () => {
    const repo = seededRepo();
    const served = await serve(repo);
    const { page } = await openPage(`${served.base}/`);
    try {
      await page.locator('body[data-live="on"]').waitFor();
      await page.locator('[data-status="ready"] .card', { hasText: 'Add rate limiting' }).waitFor();
      expect(hzl(repo, ['task', 'claim', '2'], { env: { HZL_AUTHOR: 'codex' } }).status).toBe(0);
      await page.locator('[data-status="in_progress"] .card', { hasText: 'Add rate limiting' }).waitFor();
      expect(await page.locator('[data-status="ready"] .card', { hasText: 'Add rate limiting' }).count()).toBe(0);
    } finally {
      await page.close();
    }
  });

  it('a claim from the page shows in `hzl task show`', async () => {
    const repo = seededRepo();
    const served = await serve(repo, [], { HZL_AUTHOR: 'supervisor' });
    const { page } = await openPage(served.url.replace('/?', '/task/2?'));
    try {
      await page.getByRole('button', { name: 'Claim' }).click();
      await page.locator('.notice', { hasText: 'Claimed #2 for supervisor' }).waitFor();
      const show = hzl(repo, ['task', 'show', '2']);
      expect(show.stdout).toContain('Status: in_progress');
      expect(show.stdout).toContain('Author: supervisor');
    } finally {
      await page.close();
    }
  });

  it('without the token the page offers no forms, and a forged post is refused', async () => {
    const repo = seededRepo();
    const before = snapshot(repo);
    const served = await serve(repo);
    const { page } = await openPage(`${served.base}/task/2`); // not the printed address: no token
    try {
      await page.locator('.notice', { hasText: 'Read-only' }).waitFor();
      expect(await page.locator('form[method="post"]').count()).toBe(0);
      const status = await page.evaluate(async () => {
        const headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
        const r = await fetch('/task/2/claim', { method: 'POST', headers, body: 'token=guess' });
        return r.status;
      });
      expect(status).toBe(403);
      expect(snapshot(repo)).toEqual(before);
    } finally {
      await page.close();
    }
  });

  it('a title with HTML and script is shown as text, and nothing of it runs', async () => {
    const repo = tempRepo();
    expect(hzl(repo, ['task', 'add', XSS_TITLE], { env: { HZL_AUTHOR: 'alice' } }).status).toBe(0);
    const served = await serve(repo);
    const { page } = await openPage(`${served.base}/task/1`);
    try {
      await page.locator('h1', { hasText: '<script>window.__hzlPwned = 1</script>' }).waitFor();
      await page.goto(`${served.base}/`);
      await page.locator('.card .title', { hasText: '<img src=x' }).waitFor();
      expect(await page.evaluate(() => (window as unknown as { __hzlPwned?: number }).__hzlPwned)).toBeUndefined();
    } finally {
      await page.close();
    }
  });
});

if (!hasChromium) {
  describe('hzl serve in Chromium', () => {
    const missing = 'skipped: /usr/bin/chromium is missing (apt-get install -y chromium; .ci/run installs it)';
    it.skip(missing, () => undefined);
  });
}
