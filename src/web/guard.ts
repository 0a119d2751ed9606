// Who may read and who may write. Reads: any request whose Host header names this server (a
// page elsewhere that rebinds its DNS name to 127.0.0.1 sends its own name and is refused).
// Writes: also a same-origin request (Origin / Sec-Fetch-Site) carrying this run's token, which
// only the person who started `hzl serve` has seen; the browser keeps it in a cookie that is sent
// to this origin only, and the server puts it into its own forms.

import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface Guard {
  token: string;
  cookieName: string;
  /** `host:port` values the Host header may hold; undefined: any (bound to a non-loopback address). */
  hosts: Set<string> | undefined;
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function makeGuard(token: string, host: string, port: number): Guard {
  const named = host.includes(':') ? `[${host}]` : host;
  const hosts = isLoopback(host) ? new Set([named, ...LOOPBACK_NAMES].map((h) => `${h}:${port}`)) : undefined;
  return { token, cookieName: `hzl_token_${port}`, hosts };
}

export function sameToken(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function hostAllowed(guard: Guard, req: IncomingMessage): boolean {
  const host = req.headers.host;
  if (host === undefined) return false;
  return guard.hosts === undefined || guard.hosts.has(host.toLowerCase());
}

/** A write must come from a page of this server, not from another site the browser has open. */
export function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined) return origin === `http://${req.headers.host}`;
  const site = req.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}

/** The token the browser keeps in its cookie for this server, if it is this run's. */
export function tokenFromCookie(guard: Guard, req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === guard.cookieName && sameToken(rest.join('='), guard.token)) return guard.token;
  }
  return undefined;
}

export function tokenCookie(guard: Guard): string {
  return `${guard.cookieName}=${guard.token}; Path=/; HttpOnly; SameSite=Strict`;
}
