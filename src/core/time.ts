// Times are stored as UTC ISO-8601 strings with seconds and shown in local time.

import { UsageError } from './errors.js';
import { printable } from './validate.js';

const DURATION = /^([1-9]\d{0,6})(s|m|h|d)$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The longest duration hzl takes (a lease, --older-than): a year, far past any real claim. */
export const MAX_DURATION_MS = 365 * UNIT_MS.d;
const MAX_DURATION_TEXT = '365d';

/** Stamps have four-digit years: the first and the last moment one can name. */
const FIRST_MS = Date.parse('0000-01-01T00:00:00Z');
const LAST_MS = Date.parse('9999-12-31T23:59:59Z');
export const LAST_STAMP = '9999-12-31T23:59:59Z';

/** A moment a stamp can name: a real time in the years 0000 to 9999. */
export function isStampable(date: Date): boolean {
  const t = date.getTime();
  return t >= FIRST_MS && t < LAST_MS + 1000;
}

/**
 * The stored form of a time. Callers check their inputs first (HZL_NOW, leases), so a time
 * out of range here means a value that slipped through: refused, never written.
 */
export function toStamp(date: Date): string {
  if (!isStampable(date)) {
    const ms = Number.isNaN(date.getTime()) ? 'NaN' : date.getTime();
    throw new UsageError(`cannot store the time ${ms} ms: times must fall between the years 0000 and 9999`);
  }
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `start` plus `ms`, refused when the result is past what a stamp can name. */
export function stampAfter(start: Date, ms: number, what: string): string {
  const end = new Date(start.getTime() + ms);
  if (!isStampable(end)) throw new UsageError(`the ${what} would end after ${LAST_STAMP}: use a shorter one`);
  return toStamp(end);
}

export const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/**
 * Orders two stamps in time. Stamps all have one shape, so text order is time order, and plain
 * comparison is ~10× faster than localeCompare, which asks ICU (it shows when sorting 10,000).
 */
export function compareStamps(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A stamp of the one shape, naming a moment that exists (not February 31st, not 25:00). */
export function isStamp(value: unknown): value is string {
  if (typeof value !== 'string' || !STAMP.test(value)) return false;
  // By arithmetic, not a Date round trip: listings check a few of these per task file.
  const n = (from: number) => (value.charCodeAt(from) - 48) * 10 + value.charCodeAt(from + 1) - 48;
  const year = n(0) * 100 + n(2);
  const [month, day] = [n(5), n(8)];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false;
  return n(11) < 24 && n(14) < 60 && n(17) < 60;
}

function daysIn(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

/** `YYYY-MM-DD HH:MM` in the local time zone (TZ is respected by Date). */
export function displayTime(stamp: string): string {
  const d = new Date(stamp);
  if (Number.isNaN(d.getTime())) return stamp;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/**
 * The zone displayed times are in, said once under a listing of times when it is not UTC:
 * `Europe/Paris, UTC+01:00` (the offset at `at`). Undefined in UTC.
 */
export function localZone(at: Date): string | undefined {
  const offset = -at.getTimezoneOffset();
  if (offset === 0) return undefined;
  const sign = offset > 0 ? '+' : '-';
  const p = (n: number) => String(n).padStart(2, '0');
  const utc = `UTC${sign}${p(Math.floor(Math.abs(offset) / 60))}:${p(Math.abs(offset) % 60)}`;
  const name = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return name && !/^(UTC|Etc\/)/.test(name) ? `${name}, ${utc}` : utc;
}

/** Parses `90s`, `30m`, `2h`, `1d` into milliseconds; a year at most. */
export function parseDuration(text: string, what = 'duration'): number {
  const ms = durationMs(text);
  if (ms === undefined)
    throw new UsageError(`invalid ${what} '${printable(text)}': use a number and a unit, like 90s, 30m, 2h or 1d`);
  if (ms > MAX_DURATION_MS)
    throw new UsageError(`invalid ${what} '${printable(text)}': at most ${MAX_DURATION_TEXT} (or 8760h)`);
  return ms;
}

export function isDuration(text: unknown): text is string {
  if (typeof text !== 'string') return false;
  const ms = durationMs(text);
  return ms !== undefined && ms <= MAX_DURATION_MS;
}

function durationMs(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : undefined;
}

/** The clock. HZL_NOW (an ISO time) pins it, for tests and reproducible demos. */
export function now(env: NodeJS.ProcessEnv = process.env): Date {
  const pinned = env.HZL_NOW;
  if (pinned) {
    const pinnedAt = new Date(Date.parse(pinned));
    if (!isStampable(pinnedAt)) {
      throw new UsageError(
        `invalid HZL_NOW '${printable(pinned)}': ` +
          'use an ISO time between the years 0000 and 9999, like 2024-01-15T10:30:00Z',
      );
    }
    return pinnedAt;
  }
  return new Date();
}

export interface Lease {
  ms: number;
  text: string; // as written, for the History line: `lease 30m`
}

/** The lease a claim takes: `--lease` when given (checked before anything is read), else the configured one. */
export function leaseFrom(flag: string | undefined, configured: string): Lease {
  const text = (flag ?? configured).trim();
  return { ms: parseDuration(text, 'lease'), text };
}

/** A span as people say it: 40s, 25m, 3h (up to 47h), 2d, 2w, 4mo, 2y. Rounded down. */
export function roughSpan(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (days < 14) return `${days}d`;
  if (days < 60) return `${Math.floor(days / 7)}w`;
  return days < 365 ? `${Math.floor(days / 30)}mo` : `${Math.floor(days / 365)}y`;
}

/** How long ago `stamp` was: `now` within a minute, else `roughSpan`; `?` for no time. */
export function ago(stamp: string, now: Date): string {
  const ms = now.getTime() - Date.parse(stamp);
  if (!Number.isFinite(ms)) return '?';
  return ms < 60_000 ? 'now' : roughSpan(ms);
}
