// Colour only on a terminal, and never with NO_COLOR, --no-color or TERM=dumb.

import type { Status } from '../core/task.js';

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  status(status: Status, text?: string): string;
}

export function colorWanted(isTTY: boolean, env: NodeJS.ProcessEnv, flag: boolean | undefined): boolean {
  if (flag === false) return false;
  if (!isTTY) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return env.TERM !== 'dumb';
}

const STATUS_COLOR: Record<Status, number> = {
  backlog: 90,
  ready: 36,
  in_progress: 33,
  blocked: 31,
  done: 32,
  archived: 90,
};

export function makeStyle(color: boolean): Style {
  const wrap = (code: number, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  return {
    bold: (text) => (color ? `\u001b[1m${text}\u001b[22m` : text),
    dim: (text) => wrap(90, text),
    status: (status, text = status) => wrap(STATUS_COLOR[status], text),
  };
}
