// The entry of the board bundle (dist/board.mjs): ink and react are loaded only when `hzl board`
// runs on a terminal (or `--once`), never by the other commands. The caller hands in a
// BoardSource built from the main bundle's store, so tasks are read and written in one place.

import { render, renderToString } from 'ink';
import { BoardApp } from './board-app.js';
import type { BoardSource } from './source.js';

export type { BoardSource } from './source.js';

const ENTER_ALT_SCREEN = '\u001b[?1049h';
const LEAVE_ALT_SCREEN = '\u001b[?1049l';

export interface Terminal {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/** The interactive board, full screen, until `q`, Esc or Ctrl-C. */
export async function runBoard(source: BoardSource, term: Terminal): Promise<void> {
  term.stdout.write(ENTER_ALT_SCREEN);
  try {
    const app = render(<BoardApp source={source} />, {
      stdin: term.stdin,
      stdout: term.stdout,
      stderr: term.stderr,
      exitOnCtrlC: true,
      patchConsole: false,
    });
    await app.waitUntilExit();
  } finally {
    term.stdout.write(LEAVE_ALT_SCREEN);
  }
}

/** The board's first frame as text, drawn by the same component: `hzl board --once`, the bench. */
export function renderFirstFrame(source: BoardSource, size: { width: number; height: number }): string {
  const app = <BoardApp source={source} width={size.width} height={size.height} live={false} />;
  return `${renderToString(app, { columns: size.width })}\n`;
}
