// The interactive board: one column per status, a detail view, actions and filters. Everything
// it reads or writes goes through a BoardSource (src/ui/source.ts), so the same component runs
// in the terminal (src/ui/board.tsx), under ink-testing-library, and for `board --once`.

import { Box, Text, useApp, useInput, useStdout } from 'ink';
import { type Dispatch, useEffect, useMemo, useReducer, useState } from 'react';
import type { Status } from '../core/task.js';
import {
  type BoardEvent,
  type Cursor,
  type Effect,
  type Message,
  type Prompt,
  boardReducer,
  clamp,
  initialState,
  viewOf,
} from './board-state.js';
import { type DetailLine, detailLines, fitLines } from './detail.js';
import { type BoardFilter, type BoardTask, type Column, cardDetail, oneLine } from './model.js';
import type { BoardSource } from './source.js';

export interface BoardAppProps {
  source: BoardSource;
  /** Terminal size; by default the stdout's, following resizes. */
  width?: number;
  height?: number;
  /** Watch files and tick the clock. Off for a single frame (`board --once`). */
  live?: boolean;
}

const STATUS_COLOR: Record<Status, string> = {
  backlog: 'gray',
  ready: 'cyan',
  in_progress: 'yellow',
  blocked: 'red',
  done: 'green',
  archived: 'gray',
};

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

function TitleBar({ count, filter, warnings }: { count: number; filter: BoardFilter; warnings: number }) {
  const parts = [`${count} task${count === 1 ? '' : 's'}`];
  if (filter.text) parts.push(`text "${oneLine(filter.text)}"`);
  if (filter.author) parts.push(`author "${oneLine(filter.author)}"`);
  if (warnings) parts.push(`${warnings} unreadable task file${warnings === 1 ? '' : 's'} (hzl doctor)`);
  return (
    <Text wrap="truncate-end">
      <Text bold>hzl board</Text>
      <Text dimColor> · {parts.join(' · ')}</Text>
    </Text>
  );
}

/** Columns narrower than this are unreadable: a narrow terminal shows fewer, around the cursor. */
const MIN_COLUMN_WIDTH = 18;

function ColumnsView({
  columns,
  at,
  now,
  width,
  height,
}: {
  columns: Column[];
  at: Cursor;
  now: Date;
  width: number;
  height: number;
}) {
  const count = clamp(Math.floor(width / MIN_COLUMN_WIDTH), 1, columns.length);
  const first = clamp(at.col - Math.floor((count - 1) / 2), 0, columns.length - count);
  const shown = columns.slice(first, first + count);
  const colWidth = Math.floor(width / count);
  const hiddenLeft = first > 0;
  const hiddenRight = first + count < columns.length;
  return (
    <Box flexDirection="row" height={height + 1}>
      {shown.map((column, i) => (
        <ColumnView
          key={column.status}
          column={column}
          selectedRow={first + i === at.col ? at.row : undefined}
          now={now}
          width={colWidth}
          height={height}
          more={{ left: i === 0 && hiddenLeft, right: i === count - 1 && hiddenRight }}
        />
      ))}
    </Box>
  );
}

interface ColumnProps {
  column: Column;
  selectedRow: number | undefined;
  now: Date;
  width: number;
  height: number;
  /** Columns off screen on this side (narrow terminal): the heading shows an arrow. */
  more: { left: boolean; right: boolean };
}

function ColumnView({ column, selectedRow, now, width, height, more }: ColumnProps) {
  const inner = width - 1; // one space between columns
  const cardsFit = Math.max(1, Math.floor(height / 2));
  const overflow = column.tasks.length > cardsFit;
  const perPage = overflow ? Math.max(1, Math.floor((height - 1) / 2)) : cardsFit;
  // Paging, not scrolling: the same rows stay put while the cursor moves within a page.
  const offset = selectedRow === undefined ? 0 : Math.floor(selectedRow / perPage) * perPage;
  const visible = column.tasks.slice(offset, offset + perPage);
  const hidden = column.tasks.length - visible.length;
  const active = selectedRow !== undefined;
  return (
    <Box flexDirection="column" width={width} paddingRight={1}>
      <Text wrap="truncate-end" bold inverse={active} color={STATUS_COLOR[column.status]}>
        {`${more.left ? '◂ ' : ''}${column.title} (${column.tasks.length})${more.right ? ' ▸' : ''}`}
      </Text>
      {visible.map((task, i) => (
        <Card key={task.id} task={task} selected={offset + i === selectedRow} now={now} width={inner} />
      ))}
      {column.tasks.length === 0 ? <Text dimColor>-</Text> : null}
      {overflow && hidden > 0 ? <Text dimColor wrap="truncate-end">{`… ${hidden} more`}</Text> : null}
    </Box>
  );
}

function Card({ task, selected, now, width }: { task: BoardTask; selected: boolean; now: Date; width: number }) {
  const mark = selected ? '›' : ' ';
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end" inverse={selected} bold={selected}>
        {`${mark}#${task.id} ${oneLine(task.title)}`}
      </Text>
      <Text wrap="truncate-end" dimColor>
        {`  ${oneLine(cardDetail(task, now))}`}
      </Text>
    </Box>
  );
}

function DetailView({
  lines,
  scroll,
  width,
  height,
}: {
  lines: DetailLine[];
  scroll: number;
  width: number;
  height: number;
}) {
  const { shown, more } = fitLines(lines, scroll, width, height);
  return (
    <Box flexDirection="column" height={height}>
      {shown.map((line, i) => (
        <Text
          // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity; the list is redrawn whole
          key={i}
          wrap="wrap"
          bold={line.bold}
          dimColor={line.dim}
          color={line.status ? STATUS_COLOR[line.status] : undefined}
        >
          {line.text === '' ? ' ' : line.text}
        </Text>
      ))}
      {more > 0 ? <Text dimColor>{`… ${more} more line${more === 1 ? '' : 's'} (j/↓)`}</Text> : null}
    </Box>
  );
}

function StatusLine({ prompt, message }: { prompt: Prompt | undefined; message: Message | undefined }) {
  if (prompt) {
    const label = prompt.kind === 'text' ? 'filter' : 'author';
    return (
      <Text wrap="truncate-end">
        {`${label}: ${prompt.value}`}
        <Text inverse> </Text>
        <Text dimColor>{'  ⏎ apply · esc clear'}</Text>
      </Text>
    );
  }
  if (!message) return <Text> </Text>;
  return (
    <Text wrap="truncate-end" color={message.error ? 'red' : 'green'}>
      {oneLine(message.text)}
    </Text>
  );
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
