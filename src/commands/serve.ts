// `hzl serve`: a live web view of the tasks for people supervising agents. The server and its
// pages are a bundle of their own (dist/serve.mjs, src/web/), loaded only here; reads and writes
// go through src/commands/serve-source.ts, the same store and commands as the CLI.

import { loadBundle } from '../bundles.js';
import { UsageError } from '../core/errors.js';
import { printable } from '../core/validate.js';
import { document } from '../output/json.js';
import { visible } from '../output/visible.js';
import { isLoopback } from '../web/guard.js';
import { defaultActor, explicitActor } from './actor.js';
import { type Ctx, type Output, openWorkspace } from './context.js';
import { webSource } from './serve-source.js';
import { defineCommand } from './spec.js';

interface Args {
  port?: string;
  host?: string;
  open?: boolean;
}

export const DEFAULT_PORT = 7410;
const DEFAULT_HOST = '127.0.0.1';

export function parsePort(text: string | undefined): number {
  if (text === undefined) return DEFAULT_PORT;
  const port = /^\d{1,5}$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!(port >= 0 && port <= 65535))
    throw new UsageError(
      `--port takes a number from 0 to 65535, not '${printable(text)}'; --port 0 takes any free port`,
    );
  return port;
}

export function parseHost(text: string | undefined): string {
  if (text === undefined) return DEFAULT_HOST;
  const host = text.trim().replace(/^\[(.*)\]$/, '$1');
  if (host === '' || /[\s/?#@]/.test(host))
    throw new UsageError(
      `--host takes an address of this machine, like 127.0.0.1 or 0.0.0.0, not '${printable(text)}'`,
    );
  return host;
}

/** Who the page's writes are made as: --author, HZL_AUTHOR, config or git; none if unknown. */
async function webActor(ctx: Ctx): Promise<string | undefined> {
  const explicit = explicitActor(ctx);
  if (explicit) return explicit;
  return defaultActor(openWorkspace(ctx).project, ctx.env).catch(() => undefined);
}

/** The system's way to open a URL in the browser; failure is only a warning. */
function openBrowser(url: string, ctx: Ctx): void {
  const [cmd, ...args] =
    process.platform === 'darwin'
      ? ['open', url]
      : process.platform === 'win32'
        ? ['cmd', '/c', 'start', '""', url]
        : ['xdg-open', url];
  const warn = () => ctx.io.stderr.write(`hzl: warning: could not open a browser; open ${url} yourself\n`);
  try {
    const { spawn } = process.getBuiltinModule('node:child_process'); // not at every start-up
    const child = spawn(cmd!, args, { stdio: 'ignore', detached: true });
    child.on('error', warn);
    child.unref();
  } catch {
    warn();
  }
}

/** Runs until Ctrl-C or SIGTERM, then closes the server and exits 0: stopping is how it ends. */
function untilStopped(close: () => Promise<void>): Promise<Output> {
  return new Promise(() => {
    const stop = () => {
      close().finally(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export const serveCommand = defineCommand<Args>({
  command: 'serve',
  describe: 'A live web view of the tasks: board, task pages, changes and search, with actions',
  options: {
    port: {
      type: 'string',
      describe: `port to listen on (default ${DEFAULT_PORT}, or a free one if taken; 0: any free port)`,
    },
    host: {
      type: 'string',
      describe: 'address to listen on (default 127.0.0.1; another one lets others on the network read the tasks)',
    },
    open: { type: 'boolean', describe: 'open the page in the browser' },
  },
  examples: [
    ['$0 serve', 'print the address (with this run’s token) and serve until Ctrl-C'],
    ['$0 serve --port 8080 --open', 'on port 8080, opened in the browser'],
    ['HZL_AUTHOR=supervisor $0 serve', 'act from the page as supervisor'],
  ],
  run: async (args, ctx) => {
    const port = parsePort(args.port === undefined ? undefined : String(args.port));
    const host = parseHost(args.host === undefined ? undefined : String(args.host));
    openWorkspace(ctx); // outside a project, fail before listening
    const actor = await webActor(ctx);
    const web = await loadBundle<typeof import('../web/server.js')>('serve.mjs');
    const token = process.getBuiltinModule('node:crypto').randomBytes(16).toString('hex'); // not at start-up
    const actorCtx: Ctx = actor ? { ...ctx, author: actor } : ctx;
    const server = await web.startServer(webSource(actorCtx, args), {
      host,
      port,
      token,
      ...(actor ? { actor } : {}),
      anyPortIfTaken: args.port === undefined,
    });
    // Before the address is out: whoever reads it may stop the server at once.
    const stopped = untilStopped(server.close);
    if (!isLoopback(host)) {
      ctx.io.stderr.write(
        `hzl: warning: serving on ${visible(host)}: ` +
          'anyone who can reach it can read the tasks (writes still need the token)\n',
      );
    }
    if (ctx.json)
      ctx.io.stdout.write(document('serve', { url: server.url, port: server.port, host, actor: actor ?? null }));
    else {
      ctx.io.stdout.write(`${server.url}\n`);
      if (!ctx.quiet)
        ctx.io.stderr.write(
          `Serving the tasks at ${server.url}${actor ? ` (acting as ${visible(actor)})` : ''}; Ctrl-C stops it\n`,
        );
    }
    if (args.open) openBrowser(server.url, ctx);
    return stopped;
  },
});
