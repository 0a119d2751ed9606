// `hzl serve`'s web server (bundled apart as dist/serve.mjs): Node's http module, pages rendered
// on the server, one SSE stream for live updates. Reads and writes go through the WebSource that
// src/commands/serve.ts hands over; this file only speaks HTTP.

import { randomBytes } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { ConflictError } from '../core/errors.js';
import { STYLE, SCRIPT } from './assets.js';
import { boardFilters, renderBoardPage } from './board-page.js';
import { type Guard, hostAllowed, makeGuard, sameOrigin, sameToken, tokenCookie, tokenFromCookie } from './guard.js';
import { LiveHub } from './live.js';
import { renderChangesPage, renderErrorPage, renderSearchPage } from './other-pages.js';
import { WEB_ACTIONS, type WebAction, type WebSource } from './source.js';
import { renderTaskPage } from './task-page.js';

export interface ServeOptions {
  host: string;
  port: number;
  token: string;
  actor?: string; // who the page's writes are made as, when known
  anyPortIfTaken: boolean; // the port was hzl's default, not the user's: take another if busy
}

export interface RunningServer {
  url: string; // with the token: the address to open
  port: number;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  // Not no-referrer: under it a browser sends `Origin: null` with a page's own form posts.
  'Referrer-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

/** A failure from hzl's commands (any bundle's copy of the error classes) as an HTTP status. */
function statusOf(err: unknown): number | undefined {
  const code = (err as { exitCode?: unknown }).exitCode;
  if (typeof code !== 'number' || !(err instanceof Error)) return undefined;
  return ({ 2: 400, 3: 404, 4: 409, 5: 422, 6: 502 } as Record<number, number>)[code] ?? 500;
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  type = 'text/html; charset=utf-8',
  extra: Record<string, string> = {},
): void {
  const length = Buffer.byteLength(body);
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': length, ...SECURITY_HEADERS, ...extra });
  res.end(body);
}

function redirect(res: ServerResponse, location: string, extra: Record<string, string> = {}): void {
  res.writeHead(303, { Location: location, ...SECURITY_HEADERS, ...extra });
  res.end();
}

function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Past the limit the rest is read and dropped, so that the refusal can still be sent.
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () =>
      done(size > MAX_BODY ? undefined : new URLSearchParams(Buffer.concat(chunks).toString('utf8'))),
    );
    req.on('error', fail);
  });
}

/**
 * What a write said, shown once on the page it leads back to. Kept here under a random key rather
 * than put in the URL, so that a link made elsewhere cannot show words of its own as hzl's.
 */
class Flashes {
  private readonly said = new Map<string, string>();

  put(message: string): string {
    const key = randomBytes(8).toString('hex');
    this.said.set(key, message);
    if (this.said.size > 100) this.said.delete(this.said.keys().next().value!);
    return key;
  }

  /** The notice, once: a reload of the same address shows it no more. */
  take(key: string | null): string | undefined {
    if (key === null) return undefined;
    const said = this.said.get(key);
    this.said.delete(key);
    return said;
  }
}

class Site {
  private readonly flashes = new Flashes();

  constructor(
    private readonly source: WebSource,
    private readonly guard: Guard,
    private readonly hub: LiveHub,
    private readonly actor: string | undefined,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(this.guard, req)) {
      return send(res, 403, renderErrorPage('Refused', 'this server answers only at the address hzl serve printed'));
    }
    const url = new URL(req.url ?? '/', 'http://hzl.invalid');
    if (req.method === 'POST') return this.post(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const body = renderErrorPage('Not allowed', `${req.method} is not used here`);
      return send(res, 405, body, undefined, { Allow: 'GET, POST' });
    }
    if (url.searchParams.has('token')) return this.takeToken(res, url);
    return this.get(req, res, url);
  }

  /** The printed address carries the token once: keep it in a cookie, then show the clean URL. */
  private takeToken(res: ServerResponse, url: URL): void {
    if (!sameToken(url.searchParams.get('token') ?? undefined, this.guard.token)) {
      const why = "this link's token is not this server's; open the address hzl serve printed when it started";
      send(res, 403, renderErrorPage('Wrong token', why));
      return;
    }
    url.searchParams.delete('token');
    const path = url.pathname.replace(/^\/+/, '/'); // never `//host`: that would lead off this server
    redirect(res, `${path}${url.search}`, { 'Set-Cookie': tokenCookie(this.guard) });
  }

  private async get(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    const params = url.searchParams;
    if (path === '/assets/style.css') return send(res, 200, STYLE, 'text/css; charset=utf-8');
    if (path === '/assets/app.js') return send(res, 200, SCRIPT, 'text/javascript; charset=utf-8');
    if (path === '/events') return this.hub.add(res);
    if (path === '/favicon.ico') return send(res, 204, '', 'image/x-icon');
    if (path === '/' || path === '/board') {
      const { tasks, warnings } = this.source.load();
      return send(res, 200, renderBoardPage(tasks, warnings, boardFilters(params), this.source.now()));
    }
    const task = /^\/task\/(\d{1,9})$/.exec(path);
    if (task) {
      const view = this.source.read(Number(task[1]));
      const token = tokenFromCookie(this.guard, req);
      const said = this.flashes.take(params.get('done'));
      const notice = said !== undefined ? { text: said } : undefined;
      const options = {
        ...(token ? { token } : {}),
        ...(this.actor ? { actor: this.actor } : {}),
        ...(notice ? { notice } : {}),
      };
      return send(res, 200, renderTaskPage(view, this.source.now(), options));
    }
    if (path === '/changes') {
      const base = params.get('base')?.trim() || undefined;
      return send(res, 200, renderChangesPage(await this.source.changes(base)));
    }
    if (path === '/search') {
      const q = params.get('q')?.trim() ?? '';
      const found = q ? await this.source.search(q) : { hits: undefined, warnings: [] };
      return send(res, 200, renderSearchPage(q, found.hits, found.warnings));
    }
    send(res, 404, renderErrorPage('Not found', `nothing at ${path}; the board is at /`));
  }

  private async post(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const route = /^\/task\/(\d{1,9})\/([a-z]+)$/.exec(url.pathname);
    if (!route || !(WEB_ACTIONS as readonly string[]).includes(route[2]!)) {
      return send(res, 404, renderErrorPage('Not found', `no action at ${url.pathname}`));
    }
    if (!sameOrigin(req)) {
      return send(res, 403, renderErrorPage('Refused', 'a write must come from a page of this server'));
    }
    const type = req.headers['content-type'] ?? '';
    if (!type.startsWith('application/x-www-form-urlencoded')) {
      return send(res, 415, renderErrorPage('Refused', 'send the form as application/x-www-form-urlencoded'));
    }
    const form = await readForm(req);
    if (!form) {
      return send(res, 413, renderErrorPage('Too large', 'the form is larger than 1 MiB; keep the text shorter'));
    }
    if (!sameToken(form.get('token') ?? undefined, this.guard.token)) {
      const why = "the form lacks this run's token; open the address hzl serve printed and act from there";
      return send(res, 403, renderErrorPage('Refused', why));
    }
    const id = Number(route[1]);
    const back = `/task/${id}`;
    try {
      const text = form.get('text') ?? undefined;
      const message = await this.source.act(route[2] as WebAction, id, text);
      redirect(res, `${back}?done=${this.flashes.put(message || 'Done.')}`);
    } catch (err) {
      const status = statusOf(err);
      if (status === undefined || status === 500) throw err;
      this.refused(res, status, id, route[2] as WebAction, (err as Error).message, form.get('text') ?? '');
    }
  }

  /** A write the commands refused: the page again, with the reason and the text as typed. */
  private refused(
    res: ServerResponse,
    status: number,
    id: number,
    action: WebAction,
    message: string,
    text: string,
  ): void {
    let view: ReturnType<typeof this.source.read>;
    try {
      view = this.source.read(id);
    } catch {
      const kept = text ? `\n\nYour text, not saved:\n${text}` : '';
      send(res, status, renderErrorPage('Refused', `${message}${kept}`));
      return;
    }
    const options = {
      token: this.guard.token,
      ...(this.actor ? { actor: this.actor } : {}),
      notice: { text: message, error: true },
      draft: { action, text },
    };
    send(res, status, renderTaskPage(view, this.source.now(), options));
  }
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((done, fail) => {
    const onError = (err: Error) => fail(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      done(typeof address === 'object' && address ? address.port : port);
    });
  });
}

async function bind(server: Server, options: ServeOptions): Promise<number> {
  try {
    return await listen(server, options.host, options.port);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' && options.anyPortIfTaken) return listen(server, options.host, 0);
    if (code === 'EADDRINUSE') {
      throw new ConflictError(
        `port ${options.port} is in use; choose another with --port N (--port 0 takes any free one)`,
      );
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      throw new ConflictError(
        `cannot listen on ${options.host}: no such address here; ` +
          'use an address of this machine with --host, or leave it out for 127.0.0.1',
      );
    }
    if (code === 'EACCES') {
      throw new ConflictError(`port ${options.port} needs privileges; choose one above 1023 with --port N`);
    }
    throw err;
  }
}

export async function startServer(source: WebSource, options: ServeOptions): Promise<RunningServer> {
  const hub = new LiveHub();
  const server = createServer();
  const port = await bind(server, options);
  const site = new Site(source, makeGuard(options.token, options.host, port), hub, options.actor);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    site.handle(req, res).catch((err: unknown) => {
      const status = statusOf(err) ?? 500;
      const message = err instanceof Error ? err.message : String(err);
      if (!res.headersSent) send(res, status, renderErrorPage(status === 404 ? 'Not found' : 'Error', message));
      else res.end();
    });
  });
  const stopWatching = source.watch(() => hub.changed());
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${shownHost}:${port}/?token=${options.token}`,
    port,
    close: () =>
      new Promise((done) => {
        stopWatching();
        hub.close();
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
