// The --json documents. Field names are the front-matter's; shapes are documented in docs/json.md.

import { displayText } from '../core/bytes.js';
import type { Entry, Task, TaskFields } from '../core/task.js';
import { UNSAFE_IN_JSON, unicodeEscape } from '../core/printable.js';

/** What a list row's JSON is made of (the summary index's rows have it). */
type ListedTask = TaskFields & { file: string; lastCheckpoint: Entry | null; extra: Record<string, unknown> };
/** A task as read from its file: the parsed task, its unknown keys, and the file. */
type ReadTask = { file: string; path?: string; doc: { task: Task; extra: Record<string, unknown> } };

export const SCHEMA_VERSION = 1;

/**
 * JSON escapes C0 controls itself; C1 controls (U+009B is a one-byte CSI to some terminals),
 * line separators and bidi overrides it leaves raw, so they are escaped too: the document still
 * parses to the exact text, and `hzl … --json` on a terminal cannot repaint it.
 */
export function document(kind: string, body: Record<string, unknown>): string {
  const value = { schemaVersion: SCHEMA_VERSION, kind, ...body };
  let json = JSON.stringify(value, null, 2);
  // Bytes of a file that were not UTF-8 (held as lone surrogates) are shown as U+FFFD, as
  // text output shows them: a lone surrogate escape breaks many JSON readers.
  if (json.includes('\\udc'))
    json = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? displayText(v) : v), 2);
  // Characters JSON leaves raw but a terminal acts on (C1, line separators, bidi controls).
  return `${json.replace(UNSAFE_IN_JSON, unicodeEscape)}\n`;
}

/** Front-matter fields, always all present: null for an unset value, [] for an empty list. */
export function fieldsJson(task: TaskFields) {
  return {
    id: task.id,
    title: task.title,
    status: task.status,
    priority: task.priority,
    author: task.author ?? null,
    handoff_to: task.handoff_to ?? null,
    tags: task.tags,
    depends_on: task.depends_on,
    parent: task.parent ?? null,
    lease_until: task.lease_until ?? null,
    created: task.created,
    updated: task.updated,
  };
}

/** A task in a list: its fields, its file and its newest checkpoint. */
export function summaryJson(summary: ListedTask) {
  return {
    ...fieldsJson(summary),
    file: summary.file,
    last_checkpoint: summary.lastCheckpoint ? entryJson(summary.lastCheckpoint) : null,
    extra: summary.extra,
  };
}

/** A whole task, as `show` and every write return it. */
export function taskJson(stored: ReadTask, task: Task = stored.doc.task) {
  return {
    ...fieldsJson(task),
    file: stored.file,
    description: task.description,
    checkpoints: task.checkpoints.map(entryJson),
    history: task.history.map(entryJson),
    extra: stored.doc.extra,
  };
}

export function entryJson(entry: Entry) {
  return { at: entry.at, author: entry.author, text: entry.text };
}
