// Screenshots of `hzl serve`'s main pages for the docs (docs/serve-*.png), taken in Debian's
// Chromium through playwright-core from a repository made like the seed scenario.
//   npm run build && node scripts/serve-screenshots.mjs

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const HZL = join(process.cwd(), 'bin', 'hzl.js');
const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', TZ: 'UTC', NO_COLOR: '1' };
const repo = mkdtempSync(join(tmpdir(), 'hzl-shots-'));
const git = (...args) => execFileSync('git', args, { cwd: repo, env, stdio: 'ignore' });
const hzl = (now, author, ...args) =>
  execFileSync(process.execPath, [HZL, ...args], {
    cwd: repo,
    env: { ...env, HZL_NOW: now, HZL_AUTHOR: author },
    stdio: 'ignore',
  });

git('init', '-q', '-b', 'main');
git('config', 'user.name', 'Supervisor');
git('config', 'user.email', 'supervisor@example.com');
hzl('2024-01-15T09:00:00Z', 'alice', 'init');
git('add', '-A');
git('commit', '-q', '-m', 'hzl init');
git('checkout', '-q', '-b', 'feature/auth');
hzl(
  '2024-01-15T09:05:00Z',
  'alice',
  'task',
  'add',
  'Implement user authentication',
  '-d',
  'Email and password; sessions expire after 24 h',
  '-t',
  'auth,backend',
  '-p',
  '2',
);
hzl(
  '2024-01-15T09:06:00Z',
  'alice',
  'task',
  'add',
  'Add rate limiting',
  '-p',
  '1',
  '-d',
  'Per-IP token bucket',
  '-t',
  'api',
);
hzl(
  '2024-01-15T09:07:00Z',
  'alice',
  'task',
  'add',
  'Write the API docs',
  '-s',
  'backlog',
  '--depends-on',
  '2',
  '-t',
  'api',
);
hzl('2024-01-15T09:08:00Z', 'alice', 'task', 'add', 'Set up CI');
hzl('2024-01-15T09:09:00Z', 'alice', 'task', 'add', 'Session expiry job', '--parent', '1', '-t', 'auth');
hzl('2024-01-15T09:10:00Z', 'alice', 'task', 'add', 'Migrate the sessions table', '-t', 'backend');
hzl('2024-01-15T10:00:00Z', 'claude-code', 'task', 'claim', '1', '--lease', '8h');
hzl(
  '2024-01-15T10:30:00Z',
  'claude-code',
  'task',
  'checkpoint',
  '1',
  'Designed schema with users, sessions, tokens tables',
);
hzl(
  '2024-01-15T11:20:00Z',
  'claude-code',
  'task',
  'checkpoint',
  '1',
  'Started on Session model, need to add expiry logic',
);
hzl(
  '2024-01-15T12:40:00Z',
  'claude-code',
  'task',
  'handoff',
  '1',
  'Session model done (src/auth/session.ts); expiry logic next, see #5',
  '--to',
  'codex',
);
hzl('2024-01-15T13:00:00Z', 'codex', 'task', 'claim', '1', '--lease', '4h');
hzl('2024-01-15T13:45:00Z', 'codex', 'task', 'checkpoint', '1', 'Expiry check wired into the middleware; tests next');
hzl('2024-01-15T11:00:00Z', 'cursor', 'task', 'claim', '6');
hzl('2024-01-15T11:30:00Z', 'cursor', 'task', 'block', '6', '--reason', 'Waiting for a maintenance window from ops');
hzl('2024-01-15T12:00:00Z', 'alice', 'task', 'complete', '4', '-m', 'GitHub Actions: lint, typecheck, tests');
git('add', '-A');
git('commit', '-q', '-m', 'Auth work');

const server = spawn(process.execPath, [HZL, 'serve', '--port', '0'], {
  cwd: repo,
  env: { ...env, HZL_NOW: '2024-01-15T14:00:00Z', HZL_AUTHOR: 'supervisor' },
});
const url = await new Promise((done) => {
  let out = '';
  server.stdout.on('data', (d) => {
    out += d;
    const m = /^(http\S+)\n/.exec(out);
    if (m) done(m[1]);
  });
});
const base = new URL(url).origin;
const profile = mkdtempSync(join(tmpdir(), 'hzl-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
  viewport: { width: 1280, height: 760 },
  colorScheme: 'light',
});
try {
  const page = await context.newPage();
  await page.goto(url); // takes the token into the cookie
  await page.locator('body[data-live="on"]').waitFor();
  await page.screenshot({ path: 'docs/serve-board.png' });
  await page.goto(`${base}/task/1`);
  await page.locator('body[data-live="on"]').waitFor();
  await page.screenshot({ path: 'docs/serve-task.png', fullPage: true });
  await page.goto(`${base}/changes?base=main`);
  await page.screenshot({ path: 'docs/serve-changes.png' });
  const phone = await context.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(`${base}/?tag=auth`);
  await phone.screenshot({ path: 'docs/serve-phone.png' });
} finally {
  await context.close();
  server.kill('SIGTERM');
  rmSync(profile, { recursive: true, force: true });
  rmSync(repo, { recursive: true, force: true });
}
