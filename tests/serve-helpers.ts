// Helpers for the `hzl serve` tests: the server as a child process (its address read from its
// first line of stdout), plain HTTP requests, an SSE reader, and Chromium through playwright-core.

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HZL, baseEnv, hzl, tempRepo } from './helpers.js';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

export interface Served {
  child: ChildProcess;
  url: string; // as printed, with the token
  base: string; // http://127.0.0.1:PORT
  token: string;
  stdout(): string;
  stderr(): string;
}

const running: ChildProcess[] = [];

/** Stops every server a test started (by the child's own pid). */
export function stopServers(): Promise<void> {
  const all = running.splice(0).map(
    (child) =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  );
  return Promise.all(all).then(() => undefined);
}

/** Starts `hzl serve --port 0 …` in `repo` and resolves once it printed its address. */
export function serve(repo: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Served> {
  const child = spawn(process.execPath, [HZL, 'serve', '--port', '0', ...args], { cwd: repo, env: baseEnv(env) });
  running.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((done, fail) => {
    child.stdout!.on('data', (d) => {
      stdout += d;
      const line = /^(http:\/\/[^\s]+)\n/.exec(stdout);
      const json = /^\{[\s\S]*\n\}\n/.exec(stdout); // with --json: one document
      if (!line && !json) return;
      const url = line ? line[1]! : (JSON.parse(json![0]) as { url: string }).url;
      const parsed = new URL(url);
      const token = parsed.searchParams.get('token')!;
      done({ child, url, base: parsed.origin, token, stdout: () => stdout, stderr: () => stderr });
    });
    child.on('exit', (code) => fail(new Error(`hzl serve exited (${code}) before printing its address: ${stderr}`)));
  });
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request; `headers` may override Host, Origin and the rest. */
export function fetchText(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; rawPath?: string } = {},
): Promise<Reply> {
  return new Promise((done, fail) => {
    const raw = options.rawPath !== undefined ? { path: options.rawPath } : {}; // sent as is, not normalised
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {}, ...raw }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end(options.body);
  });
}

/** A form POST as a page of the server sends it. */
export function postForm(
  served: Served,
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return fetchText(`${served.base}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: served.base, ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

/** An open `/events` stream: `next(name)` resolves with the data of the next frame of that event. */
export function openEvents(served: Served): Promise<{ next(event: string): Promise<string>; close(): void }> {
  return new Promise((ready, fail) => {
    const req = request(`${served.base}/events`, (res) => {
      let buffer = '';
      const waiting: Array<{ event: string; done: (data: string) => void }> = [];
      const arrived: Array<{ event: string | undefined; data: string }> = []; // frames nobody waited for yet
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        buffer += d;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1] ?? '';
          const i = waiting.findIndex((w) => w.event === event);
          if (i >= 0) waiting.splice(i, 1)[0]!.done(data);
          else arrived.push({ event, data });
        }
      });
      ready({
        next: (event) =>
          new Promise((done) => {
            const i = arrived.findIndex((f) => f.event === event);
            if (i >= 0) done(arrived.splice(i, 1)[0]!.data);
            else waiting.push({ event, done });
          }),
        close: () => req.destroy(),
      });
    });
    req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : fail(err)));
    req.end();
  });
}

/** The seed's repository: #1 claimed by claude-code with checkpoints, #2 ready, #3 backlog, #4 done. */
export function seededRepo(): string {
  const repo = tempRepo();
  const env = { HZL_AUTHOR: 'alice', HZL_NOW: '2024-01-15T10:00:00Z' };
  const run = (args: string[], extra: NodeJS.ProcessEnv = {}) => {
    const r = hzl(repo, args, { env: { ...env, ...extra } });
    if (r.status !== 0) throw new Error(`hzl ${args.join(' ')} failed: ${r.stderr}`);
  };
  const sessions = 'Email and password; sessions expire after 24 h';
  run(['task', 'add', 'Implement user authentication', '-d', sessions, '-t', 'auth']);
  run(['task', 'add', 'Add rate limiting', '-p', '2', '-d', 'Per-IP token bucket', '-t', 'api']);
  run(['task', 'add', 'Write the API docs', '-s', 'backlog', '--depends-on', '2', '-t', 'api']);
  run(['task', 'add', 'Set up CI']);
  run(['task', 'claim', '1', '--author', 'claude-code', '--lease', '2h']);
  const agentAt = (time: string) => ({ HZL_AUTHOR: 'claude-code', HZL_NOW: `2024-01-15T${time}Z` });
  run(['task', 'checkpoint', '1', 'Designed schema with users, sessions, tokens tables'], agentAt('10:30:00'));
  run(['task', 'checkpoint', '1', 'Started on Session model, need to add expiry logic'], agentAt('11:20:00'));
  run(['task', 'complete', '4']);
  return repo;
}

type Playwright = typeof import('playwright-core');
export type BrowserContext = Awaited<ReturnType<Playwright['chromium']['launchPersistentContext']>>;

/** Debian's Chromium, headless, with a profile of its own that is removed with the browser. */
export async function launchChromium(): Promise<{ browser: BrowserContext; close(): Promise<void> }> {
  const { chromium } = (await import('playwright-core')) as Playwright;
  const profile = mkdtempSync(join(tmpdir(), 'hzl-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    browser: context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
