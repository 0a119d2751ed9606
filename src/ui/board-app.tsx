// The interactive board: one column per status, a detail view, actions and filters. Everything
// it reads or writes goes through a BoardSource (src/ui/source.ts), so the same component runs
// in the terminal (src/ui/board.tsx), under ink-testing-library, and for `board --once`.

import { Box, Text, useApp, useInput, useStdout } from 'ink';
import { type Dispatch, useEffect, useMemo, useReducer, useState } from 'react';
import { type BoardEvent, type Effect, boardReducer, initialState, viewOf } from './board-state.js';
import { ColumnsView, DetailView, StatusLine, TitleBar } from './board-views.js';
import { detailLines } from './detail.js';
import type { BoardSource } from './source.js';

export interface BoardAppProps {
  source: BoardSource;
  /** Terminal size; by default the stdout's, following resizes. */
  width?: number;
  height?: number;
  /** Watch files and tick the clock. Off for a single frame (`board --once`). */
  live?: boolean;
}

const BOARD_HELP = '←↓↑→/hjkl move · ⏎ open · cc claim · dd complete · rr release · / filter · a author · q quit';
const DETAIL_HELP = '↓↑/jk scroll · ⏎/esc back · cc claim · dd complete · rr release · q quit';

export function BoardApp({ source, width, height, live = true }: BoardAppProps) {
  const { exit } = useApp();
  const size = useTerminalSize(width, height);
  const [state, dispatch] = useReducer(boardReducer, source, (s) => {
    const first = loadSafely(s);
    return initialState(first.data, s.now(), first.error);
  });
  useEffects(state.effects, source, dispatch, exit);

  useEffect(() => {
    if (!live) return;
    const stop = source.watch(() => dispatch({ type: 'changed' }));
    const tick = setInterval(() => dispatch({ type: 'tick', now: source.now() }), 30_000);
    return () => {
      stop();
      clearInterval(tick);
    };
  }, [source, live]);

  // Every key goes to the reducer, which applies it to the state the key before it left.
  useInput((input, key) => dispatch({ type: 'key', input, key, page: size.height - 5 }));

  const { data, detail, now, prompt, message, filter: kept, cursor } = state;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the view depends on these parts of the state only
  const { filter, columns, at } = useMemo(() => viewOf(state), [data, kept, prompt, cursor]);
  const byId = useMemo(() => new Map(data.tasks.map((t) => [t.id, t])), [data]);
  const lines = useMemo(() => (detail?.task ? detailLines(detail.task, byId) : undefined), [detail?.task, byId]);
  const shown = data.tasks.filter((t) => t.status !== 'archived').length;
  const body = size.height - 4; // title, column heads / blank, message, help
  return (
    <Box flexDirection="column" width={size.width}>
      <TitleBar count={shown} filter={filter} warnings={data.warnings.length} />
      {detail ? (
        <DetailView
          lines={lines ?? [{ text: `Reading #${detail.id}…`, dim: true }]}
          scroll={detail.scroll}
          width={size.width}
          height={body + 1}
        />
      ) : (
        <ColumnsView columns={columns} at={at} now={now} width={size.width} height={body} />
      )}
      <StatusLine prompt={prompt} message={message} />
      <Text dimColor wrap="truncate-end">
        {detail ? DETAIL_HELP : BOARD_HELP}
      </Text>
    </Box>
  );
}

/**
 * Runs what the reducer asked for, in order and once each: reading files, the claim, complete
 * and release commands, quitting. Their results come back as events.
 */
function useEffects(effects: Effect[], source: BoardSource, dispatch: Dispatch<BoardEvent>, exit: () => void): void {
  useEffect(() => {
    if (effects.length === 0) return;
    dispatch({ type: 'effectsTaken', count: effects.length });
    for (const effect of effects) runEffect(effect, source, dispatch, exit);
  }, [effects, source, dispatch, exit]);
}

function runEffect(effect: Effect, source: BoardSource, dispatch: Dispatch<BoardEvent>, exit: () => void): void {
  switch (effect.kind) {
    case 'exit':
      exit();
      return;
    case 'open':
      readInto(effect.id, source, dispatch);
      return;
    case 'act':
      source.act(effect.action, effect.id).then(
        (text) => dispatch({ type: 'acted', text, error: false }),
        (err: unknown) => dispatch({ type: 'acted', text: errorText(err), error: true }),
      );
      return;
    case 'reload': {
      const loaded = loadSafely(source);
      dispatch({
        type: 'loaded',
        data: loaded.data,
        now: source.now(),
        ...(loaded.error ? { error: loaded.error } : {}),
      });
      if (effect.detailId !== undefined) readInto(effect.detailId, source, dispatch);
    }
  }
}

function readInto(id: number, source: BoardSource, dispatch: Dispatch<BoardEvent>): void {
  try {
    dispatch({ type: 'read', id, task: source.read(id) });
  } catch (err) {
    dispatch({ type: 'read', id, error: errorText(err) });
  }
}

function useTerminalSize(width?: number, height?: number): { width: number; height: number } {
  const { stdout } = useStdout();
  const read = () => ({
    width: width ?? (stdout?.columns || 100),
    height: height ?? (stdout?.rows || 30),
  });
  const [size, setSize] = useState(read);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `read` is rebuilt each render; one listener per terminal
  useEffect(() => {
    if (width !== undefined && height !== undefined) return;
    const onResize = () => setSize(read());
    stdout?.on('resize', onResize);
    return () => {
      stdout?.off('resize', onResize);
    };
  }, [stdout, width, height]);
  // Keep one line free: a frame as tall as the terminal makes ink clear the screen on every draw.
  return { width: Math.max(20, size.width), height: Math.max(8, size.height - 1) };
}

/** The tasks, or none and the reason (the tasks folder went away, say): the board stays up. */
function loadSafely(source: BoardSource): { data: ReturnType<BoardSource['load']>; error?: string } {
  try {
    return { data: source.load() };
  } catch (err) {
    return { data: { tasks: [], warnings: [] }, error: errorText(err) };
  }
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return `hzl: ${text}`;
}
