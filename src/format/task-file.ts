// The task file: YAML front-matter, a free Markdown description, then the append-only
// History and Checkpoints sections, Checkpoints last so that appending to the file appends a
// checkpoint. Files of the older layout (Checkpoints, then History) are read, and converted at
// their next write. This module (with its helpers in src/format/) is the only
// code that parses or writes task files.

import matter from 'gray-matter';
import { encodeText } from '../core/bytes.js';
import { MalformedTaskError } from '../core/errors.js';
import type { Entry, Task, TaskFields } from '../core/task.js';
import { type Fields, KEY_ORDER, editFrontMatter, renderFrontMatter, sameValue } from './frontmatter.js';
import { readSimpleFrontMatter } from './fast-frontmatter.js';
import { extraFields, readFields } from './fields.js';
import { restoreLineEndings } from './line-endings.js';
import { escapeOwnedHeadings, escapeRawHeadings, locateSections, unescapeOwnedHeadings } from './headings.js';
import { type ParsedSection, parseSection, renderSectionBody, writeSection } from './sections.js';
import { YamlLimitError, loadYaml, yamlErrorLine } from './yaml.js';

const CHECKPOINTS = '## Checkpoints';
const HISTORY = '## History';

/** A parsed file: the task, the keys hzl does not know, and the source for minimal rewrites. */
export interface TaskDoc {
  task: Task;
  extra: Fields;
  source: {
    original: string; // the file as read (decoded by decodeBytes), line endings as they were
    text: string; // the same with LF line endings and a final newline: what the parts below cut
    frontMatter: string;
    data: Fields;
    description: string; // raw text between the front-matter and the first section
    checkpoints: string; // raw text after the `## Checkpoints` line (up to `## History` in the old layout)
    history: string; // raw text after the `## History` line (up to `## Checkpoints`)
    checkpointsHeader: string; // the `## Checkpoints` line as written (trailing blanks included)
    historyHeader: string;
    hasCheckpoints: boolean;
    hasHistory: boolean;
    /** Checkpoints come before History: the layout of older hzl versions, converted at the next write. */
    oldLayout: boolean;
    /** The section has lines in a hand-written form, rewritten when hzl next writes into it. */
    looseCheckpoints: boolean;
    looseHistory: boolean;
  };
}

// gray-matter caches by content and hands every caller the same object unless given options;
// passing our own engine also keeps its bundled old js-yaml out of the way.
const MATTER_OPTIONS = {
  engines: {
    yaml: {
      parse: (text: string) => (loadYaml(text) ?? {}) as object,
      stringify: () => {
        throw new Error('hzl writes front-matter itself');
      },
    },
  },
};

export function parseTaskFile(input: string, file: string): TaskDoc {
  // A byte order mark (some Windows editors write one) is not part of the text; writes keep it.
  let text = input.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  if (!text.endsWith('\n')) text += '\n';
  if (!text.startsWith('---\n')) {
    throw new MalformedTaskError(file, 1, "a task file starts with a '---' line, then YAML front-matter, then '---'");
  }
  const parsed = readSimpleFrontMatter(text) ?? readFrontMatter(text, file);
  const frontMatter = `${parsed.matter.replace(/^\n/, '')}\n`;
  const bodyStart = `---\n${frontMatter}---\n`;
  if (!text.startsWith(bodyStart)) {
    throw new MalformedTaskError(file, 1, "the front-matter must end with a line that is exactly '---'");
  }
  const data = parsed.data as Fields;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new MalformedTaskError(file, 2, 'front-matter must be a set of `key: value` lines');
  }
  const fields = readFields(data, frontMatter, file);
  const body = text.slice(bodyStart.length);
  const bodyLine = countLines(bodyStart) + 1; // file line number of the body's first line

  const headers = locateSections(body);
  const { checkpoints: cp, history: hi } = headers;
  const first = cp && hi ? Math.min(cp.start, hi.start) : (cp ?? hi)?.start;
  const description = body.slice(0, first ?? body.length);
  // Each section runs from its heading to the other's heading, or to the end of the file.
  const until = (own: { end: number }, other?: { start: number }) =>
    body.slice(own.end, other && other.start > own.end ? other.start : body.length);
  const checkpoints = cp ? until(cp, hi) : '';
  const history = hi ? until(hi, cp) : '';
  const lineAt = (offset: number) => bodyLine + countLines(body.slice(0, offset));
  const section = (raw: string, at: { end: number } | undefined, name: string): ParsedSection =>
    at ? parseSection(raw.split('\n'), file, lineAt(at.end), name) : { entries: [], loose: false };
  const parsedCheckpoints = section(checkpoints, cp, 'Checkpoints');
  const parsedHistory = section(history, hi, 'History');

  const extra = extraFields(data);
  return {
    task: {
      ...fields,
      description:
        description.trim() === '' ? '' : unescapeOwnedHeadings(description.replace(/^\n+/, '').replace(/\s+$/, '')),
      checkpoints: parsedCheckpoints.entries,
      history: parsedHistory.entries,
    },
    extra,
    source: {
      original: input,
      text,
      frontMatter,
      data,
      description,
      checkpoints,
      history,
      checkpointsHeader: headers.checkpoints ? body.slice(headers.checkpoints.start, headers.checkpoints.end) : '',
      historyHeader: headers.history ? body.slice(headers.history.start, headers.history.end) : '',
      hasCheckpoints: headers.checkpoints !== undefined,
      hasHistory: headers.history !== undefined,
      oldLayout: cp !== undefined && hi !== undefined && cp.start < hi.start,
      looseCheckpoints: parsedCheckpoints.loose,
      looseHistory: parsedHistory.loose,
    },
  };
}

/** The front-matter through the full parser: anything the simple reader does not handle. */
function readFrontMatter(text: string, file: string): { matter: string; data: unknown } {
  try {
    return matter(text, MATTER_OPTIONS);
  } catch (err) {
    if (err instanceof YamlLimitError) throw new MalformedTaskError(file, err.line + 1, `front-matter ${err.reason}`);
    const where = yamlErrorLine(err);
    if (!where) throw err;
    throw new MalformedTaskError(file, where.line + 1, `front-matter is not valid YAML: ${where.reason}`);
  }
}

/**
 * The file text for `task`. Given the document it was read from, only what changed is rewritten:
 * changed front-matter keys, a changed description, and entries appended to the two sections.
 * Without a base, the canonical form, with `extra` (unknown keys) after the known keys.
 */
export function renderTaskFile(task: Task, base?: TaskDoc, extra: Fields = {}): string {
  if (!base) {
    const unknown = Object.entries(extra).filter(([key]) => !(KEY_ORDER as readonly string[]).includes(key));
    const fields = { ...fieldsOf(task), ...Object.fromEntries(unknown) };
    return `---\n${renderFrontMatter(fields)}---\n${renderDescription(task.description)}${renderSections(task)}`;
  }
  const src = base.source;
  const old = base.task;
  assertAppendOnly(old.checkpoints, task.checkpoints, 'checkpoints');
  assertAppendOnly(old.history, task.history, 'history');
  const before = fieldsOf(old);
  const after = fieldsOf(task);
  const fieldsChanged = !sameValue(before, after);
  const appended = task.checkpoints.length > old.checkpoints.length || task.history.length > old.history.length;
  // Nothing changed: the file as read, byte for byte, however it was laid out by hand.
  if (!fieldsChanged && task.description === old.description && !appended) return src.text;
  const frontMatter = fieldsChanged
    ? editFrontMatter(src.frontMatter, { ...src.data }, editedData(src.data, before, after))
    : src.frontMatter;
  const description =
    task.description === old.description ? escapeRawHeadings(src.description) : renderDescription(task.description);
  if (!src.hasCheckpoints || !src.hasHistory) {
    // A file written by hand without the sections: they start here, in canonical form.
    const spaced = description.trim() === '' ? '\n' : description.replace(/\n*$/, '\n\n');
    return `---\n${frontMatter}---\n${spaced}${renderSections(task)}`;
  }
  const history = writeSection(src.history, src.looseHistory, old.history, task.history, true, src.oldLayout);
  const checkpoints = writeSection(
    src.checkpoints,
    src.looseCheckpoints,
    old.checkpoints,
    task.checkpoints,
    false,
    src.oldLayout,
  );
  // The old layout is converted in this one write: the sections swap, their lines kept.
  const historyHeader = src.oldLayout ? `${HISTORY}\n` : src.historyHeader;
  const checkpointsHeader = src.oldLayout ? `${CHECKPOINTS}\n` : src.checkpointsHeader;
  return `---\n${frontMatter}---\n${description}${historyHeader}${history}${checkpointsHeader}${checkpoints}`;
}

/**
 * The bytes to write for `text` (rendered from `base`): the lines kept from the file keep their
 * line endings, and bytes that were not UTF-8 go back as they were.
 */
export function taskFileBytes(text: string, base?: TaskDoc): Buffer {
  if (!base) return encodeText(text);
  const original = base.source.original;
  const bom = original.startsWith('\uFEFF') ? '\uFEFF' : '';
  return encodeText(bom + restoreLineEndings(original.slice(bom.length), text));
}

function renderDescription(description: string): string {
  return description === '' ? '\n' : `\n${escapeOwnedHeadings(description)}\n\n`;
}

function renderSections(task: Task): string {
  const history = renderSectionBody(task.history, true);
  return `${HISTORY}\n${history}${CHECKPOINTS}\n${renderSectionBody(task.checkpoints, false)}`;
}

export function fieldsOf(task: TaskFields): Fields {
  const fields: Fields = {};
  for (const key of KEY_ORDER) {
    const value = task[key];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    fields[key] = value;
  }
  return fields;
}

/**
 * The front-matter to write, in the source's key order: unknown keys and the keys the task did not
 * change keep their source value (so `title: 42`, `tags: []` or a missing `priority` never rewrite
 * a line by themselves); changed keys get the new value, and cleared ones go.
 */
function editedData(data: Fields, before: Fields, after: Fields): Fields {
  const out: [string, unknown][] = [];
  const known = (key: string) => (KEY_ORDER as readonly string[]).includes(key);
  for (const [key, value] of Object.entries(data)) {
    if (!known(key) || sameValue(before[key], after[key])) out.push([key, value]);
    else if (after[key] !== undefined) out.push([key, after[key]]);
  }
  for (const [key, value] of Object.entries(after)) {
    if (!Object.hasOwn(data, key) && !sameValue(before[key], value)) out.push([key, value]);
  }
  return Object.fromEntries(out);
}

function assertAppendOnly(before: Entry[], after: Entry[], what: string): void {
  const kept = after.slice(0, before.length);
  if (after.length < before.length || !sameValue(kept, before)) {
    throw new Error(`internal: ${what} are append-only`);
  }
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
