// HTML built by a tagged template that escapes every interpolated value unless it is already
// HTML made by this template: a title holding `<script>` can only ever be shown as text.

import { visible } from '../output/visible.js';

export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Part = Html | string | number | undefined | null | false | Part[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an HTML text node or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function partText(part: Part): string {
  if (part === undefined || part === null || part === false) return '';
  if (part instanceof Html) return part.text;
  if (Array.isArray(part)) return part.map(partText).join('');
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0]!;
  for (const [i, part] of parts.entries()) out += partText(part) + strings[i + 1]!;
  return new Html(out);
}

/** Text from a task file, with control characters shown as the CLI shows them. */
export function shown(text: string, multiline = false): string {
  return visible(text, { multiline });
}
