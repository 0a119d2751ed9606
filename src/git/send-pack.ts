// One ref changed on a remote by compare-and-swap, speaking git's push protocol (version 0, as
// `git send-pack` does) to the remote's receive-pack: over a TCP connection to `git daemon`, or
// over the pipes of a `git receive-pack` started on a local path. A push of a record then needs
// no `git push` process and no `git pack-objects` beside it (docs/clones.md, "How a push
// travels"). push-route.ts decides when this applies; elsewhere hzl runs `git push`.
//
// The exchange: the remote lists its refs; if the ref does not hold what the caller expects, the
// swap is lost without sending anything (as `--force-with-lease` does). Otherwise one command
// "<expected> <new> <ref>" and, unless it deletes, a pack with the new objects; the remote then
// checks <expected> again under the ref's lock and reports "ok <ref>" or "ng <ref> <reason>".

import type { PackObject } from './pack.js';
import { packOf } from './pack.js';

export const ZERO_OID = '0'.repeat(40);

export interface RefUpdate {
  ref: string;
  /** What the ref must hold for the swap to happen; '' for a ref that must not exist. */
  expected: string;
  /** The new value; '' deletes the ref. */
  to: string;
}

/** 'unsupported': the remote wants what this does not speak (SHA-256, no report-status); nothing was sent. */
export type PushOutcome = 'done' | 'lost' | 'unsupported';

/** The push failed: `why` in a few words, as git would say it; `timedOut` when the remote went quiet. */
export class PushError extends Error {
  constructor(
    readonly why: string,
    readonly timedOut = false,
  ) {
    super(why);
  }
}

/** A two-way byte stream to a receive-pack: a socket, or a child's stdin and stdout. */
export interface Channel {
  send(data: Buffer): void;
  /** The exchange is over, whatever its outcome: stop reading, hang up, and keep hzl alive no longer for it. */
  finish(): void;
  onData(listener: (data: Buffer) => void): void;
  /** The stream ended or failed; `why` when it failed (a connection refused, what the child said). */
  onEnd(listener: (why?: string) => void): void;
}

/** Sends `update` (and `objects`, the new value's objects) over `channel`, as described above. */
export function sendPack(
  channel: Channel,
  update: RefUpdate,
  objects: PackObject[],
  timeoutMs: number,
): Promise<PushOutcome> {
  return new Promise((resolve, reject) => {
    let current = ''; // what the remote lists for the ref; only that one is kept, of however many
    let capabilities: string[] | undefined;
    let phase: 'refs' | 'report' | 'over' = 'refs';
    let outcome: PushOutcome | undefined;
    let unpacked = false;
    let pending: Buffer = Buffer.alloc(0);
    const over = () => phase === 'over'; // a call: the handlers below change it

    const settle = (result: PushOutcome | PushError) => {
      if (phase === 'over') return;
      phase = 'over';
      pending = Buffer.alloc(0);
      clearTimeout(timer);
      channel.finish();
      if (result instanceof PushError) reject(result);
      else resolve(result);
    };
    // The exchange needs hzl's event loop, which hzl's own work holds now and then (the local
    // work before its first wait, a lock it waits for): that time is not the remote's. So the
    // time runs from when hzl can first take part, and when it runs out, what came in while hzl
    // was busy is read first (setImmediate runs after the reads of the same turn). A period that
    // ended late (hzl was busy) or with the remote still talking gets one more.
    let timer: NodeJS.Timeout | undefined;
    let heard = false;
    let extended = false;
    const arm = () => {
      heard = false;
      const due = Date.now() + timeoutMs;
      timer = setTimeout(() => {
        const late = Date.now() - due > timeoutMs / 4;
        setImmediate(() => {
          if (over()) return;
          if (!extended && (heard || late)) {
            extended = true;
            arm();
          } else settle(new PushError('no answer', true));
        });
      }, timeoutMs);
    };
    setImmediate(() => over() || arm());

    const decide = () => {
      const caps = capabilities ?? [];
      const objectFormat = caps.find((c) => c.startsWith('object-format='));
      if (objectFormat && objectFormat !== 'object-format=sha1') return end('unsupported');
      if (!caps.includes('report-status')) return end('unsupported');
      if (update.to === '' && !caps.includes('delete-refs')) return end('unsupported');
      if (current !== update.expected) return end('lost'); // stale: nothing is sent
      if (current === update.to) return end('done'); // already there
      const command = `${update.expected || ZERO_OID} ${update.to || ZERO_OID} ${update.ref}\0report-status agent=hzl\n`;
      const parts = [pktLine(command), FLUSH];
      if (update.to !== '') parts.push(packOf(objects));
      channel.send(Buffer.concat(parts));
      phase = 'report';
    };
    // Nothing to change: a flush says so, and the remote ends the exchange.
    const end = (result: PushOutcome) => {
      channel.send(FLUSH);
      settle(result);
    };

    const line = (text: string) => {
      if (phase === 'refs') {
        if (text.startsWith('ERR ')) return settle(new PushError(`remote error: ${text.slice(4).trim()}`));
        const nul = text.indexOf('\0');
        const entry = nul === -1 ? text : text.slice(0, nul);
        if (capabilities === undefined)
          capabilities =
            nul === -1
              ? []
              : text
                  .slice(nul + 1)
                  .trim()
                  .split(' ');
        const [oid, name] = entry.trim().split(' ');
        if (name === update.ref && oid && /^[0-9a-f]{40}$/.test(oid)) current = oid;
        return;
      }
      const report = text.replace(/\n$/, '');
      if (report.startsWith('unpack ')) {
        unpacked = report === 'unpack ok';
        if (!unpacked) settle(new PushError(`it refused the ref: ${report}`));
      } else if (report === `ok ${update.ref}`) outcome = 'done';
      else if (report.startsWith(`ng ${update.ref} `)) {
        const reason = report.slice(`ng ${update.ref} `.length);
        // The ref changed, or another push holds its lock at this moment: a race lost, not an error.
        if (/^(failed to update ref|failed to lock|cannot lock ref|failed to delete)/.test(reason)) outcome = 'lost';
        else settle(new PushError(`it refused the ref: ${reason}`));
      }
    };

    const flush = () => {
      if (phase === 'refs') return decide();
      if (phase === 'report') {
        if (outcome !== undefined && (unpacked || update.to === '')) settle(outcome);
        else settle(new PushError('the remote did not report on the ref'));
      }
    };

    channel.onData((data) => {
      if (over()) return; // what a remote sends after the exchange is not kept
      heard = true;
      pending = pending.length === 0 ? data : Buffer.concat([pending, data]);
      while (!over() && pending.length >= 4) {
        const head = pending.subarray(0, 4).toString('latin1');
        const size = /^[0-9a-f]{4}$/i.test(head) ? Number.parseInt(head, 16) : -1;
        if (size < 0 || (size > 0 && size < 4)) return settle(new PushError('the remote spoke no git'));
        if (size === 0) {
          pending = pending.subarray(4);
          flush();
          continue;
        }
        if (pending.length < size) return;
        const text = pending.subarray(4, size).toString('utf8');
        pending = pending.subarray(size);
        line(text);
      }
    });
    channel.onEnd((why) => settle(new PushError(why || 'the remote end hung up unexpectedly')));
  });
}

const FLUSH = Buffer.from('0000', 'latin1');

function pktLine(text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  return Buffer.concat([Buffer.from((body.length + 4).toString(16).padStart(4, '0'), 'latin1'), body]);
}

/** Why a connection failed, in words: the code names it well enough for the common ones. */
const SOCKET_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed',
};

/** A connection to `git daemon` asking for receive-pack on `path`. */
export function daemonChannel(host: string, port: number, path: string, hostHeader: string): Channel {
  const { connect } = process.getBuiltinModule('node:net');
  const socket = connect({ host, port });
  socket.write(pktLine(`git-receive-pack ${path}\0host=${hostHeader}\0`));
  let connected = false;
  let failure: string | undefined;
  socket.on('connect', () => (connected = true));
  socket.on('error', (err: NodeJS.ErrnoException) => {
    const why = (err.code && SOCKET_ERRORS[err.code]) ?? err.code ?? err.message;
    failure = connected
      ? `the connection to ${hostHeader} broke (${why})`
      : `unable to connect to ${hostHeader} (${why})`;
  });
  return {
    send: (data) => socket.write(data),
    // The server's work after its report (hooks, gc) is its own: hzl does not wait on the socket.
    finish: () => {
      socket.pause();
      socket.end();
      socket.unref();
    },
    onData: (listener) => socket.on('data', listener),
    onEnd: (listener) => socket.on('close', () => listener(failure)),
  };
}

/**
 * A `git receive-pack <path>` on this machine, as `git push` starts for a remote that is a path.
 * When the exchange is over, the child is let finish (its hooks, its clean-up), never killed: a
 * receive-pack killed midway leaves its ref lock behind. hzl waits for it at most `graceMs`.
 */
export function localChannel(path: string, cwd: string, env: NodeJS.ProcessEnv, graceMs: number): Channel {
  const { spawn } = process.getBuiltinModule('node:child_process');
  // '--': a path that starts with a dash is a path, not an option.
  const child = spawn('git', ['receive-pack', '--', path], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  let failure: string | undefined;
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    if (stderr.length < 4096) stderr += chunk; // enough for the reason; a chatty hook is not kept
  });
  child.stdin.on('error', () => undefined); // a child that exits early: its stderr says why
  child.on('error', (err) => (failure = String(err)));
  const letGo = () => {
    child.unref();
    for (const pipe of [child.stdout, child.stderr]) (pipe as unknown as { unref(): void }).unref(); // sockets
  };
  return {
    send: (data) => child.stdin.write(data),
    finish: () => {
      child.stdin.end();
      child.stdout.pause();
      setTimeout(letGo, graceMs).unref();
    },
    onData: (listener) => child.stdout.on('data', listener),
    onEnd: (listener) => child.on('close', () => listener(failure ?? (stderr.trim() ? firstLine(stderr) : undefined))),
  };
}

/** What git said on stderr that says why: its first line without "fatal:", past "failed to push some refs". */
export function firstLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.replace(/^(fatal|error):\s*/, '').trim())
    .filter(Boolean);
  // git's last fatal line says why (the first is often "failed to push some refs").
  return lines.find((l) => !/^failed to push some refs/.test(l)) ?? lines[0] ?? 'no answer';
}
