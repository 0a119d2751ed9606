// The front-matter's fields, checked: what a task needs (id, title, status, times, lists, names)
// read from the parsed YAML with errors that name the key and its line, and the keys hzl does
// not know, kept in their order for the next write.

import { MalformedTaskError } from '../core/errors.js';
import { MAX_PRIORITY, MIN_PRIORITY, STATUSES, type TaskFields, isStatus } from '../core/task.js';
import { isStamp } from '../core/time.js';
import { authorProblem, nfc, printable } from '../core/validate.js';
import { type Fields, KEY_ORDER } from './frontmatter.js';

/** The keys hzl does not know, in their order. */
export function extraFields(data: Fields): Fields {
  const known = KEY_ORDER as readonly string[];
  const keys = Object.keys(data);
  if (keys.every((key) => known.includes(key))) return {};
  // fromEntries, not assignment: a key named `__proto__` stays a key.
  return Object.fromEntries(keys.filter((key) => !known.includes(key)).map((key) => [key, data[key]]));
}

/** The task fields of `data` (the parsed front-matter of `file`), or why they do not make a task. */
export function readFields(data: Fields, frontMatter: string, file: string): TaskFields {
  const lineOf = (key: string) => {
    const i = frontMatter.split('\n').findIndex((l) => l.startsWith(`${key}:`) || l.startsWith(`'${key}':`));
    return i === -1 ? 2 : i + 2;
  };
  const fail = (key: string, what: string): never => {
    throw new MalformedTaskError(file, lineOf(key), `'${key}' ${what}`);
  };
  const positiveInt = (v: unknown) => Number.isSafeInteger(v) && (v as number) > 0;
  const text = (key: string, required: boolean): string | undefined => {
    const v = data[key];
    if (v === undefined || v === null) return required ? fail(key, 'is missing') : undefined;
    if (typeof v !== 'string' && typeof v !== 'number') return fail(key, 'must be text');
    return String(v);
  };
  const stamp = (key: string, required: boolean): string | undefined => {
    const v = data[key];
    if (v === undefined || v === null) return required ? fail(key, 'is missing') : undefined;
    if (!isStamp(v)) return fail(key, 'must be a UTC time like 2024-01-15T10:30:00Z');
    return v;
  };

  if (!positiveInt(data.id)) fail('id', data.id === undefined ? 'is missing' : 'must be a positive whole number');
  if (!isStatus(data.status)) fail('status', `must be one of ${STATUSES.join(', ')}`);
  const priority = data.priority ?? 0;
  if (!Number.isInteger(priority) || (priority as number) < MIN_PRIORITY || (priority as number) > MAX_PRIORITY) {
    fail('priority', `must be a whole number from ${MIN_PRIORITY} to ${MAX_PRIORITY}`);
  }
  const tags = data.tags ?? [];
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string' || typeof t === 'number')) {
    fail('tags', 'must be a list like [auth, backend]');
  }
  const dependsOn = data.depends_on ?? [];
  if (!Array.isArray(dependsOn) || !dependsOn.every(positiveInt))
    fail('depends_on', 'must be a list of task ids like [3, 4]');
  if (data.parent !== undefined && data.parent !== null && !positiveInt(data.parent)) {
    fail('parent', 'must be a task id');
  }
  const fields: TaskFields = {
    id: data.id as number,
    title: text('title', true)!,
    status: data.status as TaskFields['status'],
    priority: priority as number,
    tags: (tags as unknown[]).map(String),
    depends_on: dependsOn as number[],
    created: stamp('created', true)!,
    updated: stamp('updated', true)!,
  };
  const name = (key: 'author' | 'handoff_to'): string | undefined => {
    const raw = text(key, false);
    if (raw === undefined || raw === '') return undefined; // `author: ''` is no author, like `author:`
    // A name becomes the writer of the next entry: one that could not be written is refused here.
    const value = nfc(raw);
    const problem = authorProblem(value);
    return problem ? fail(key, `'${printable(value)}' is not a usable name: ${problem}`) : value;
  };
  const author = name('author');
  if (author !== undefined) fields.author = author;
  const handoffTo = name('handoff_to');
  if (handoffTo !== undefined) fields.handoff_to = handoffTo;
  if (typeof data.parent === 'number') fields.parent = data.parent;
  const lease = stamp('lease_until', false);
  if (lease !== undefined) fields.lease_until = lease;
  return fields;
}
