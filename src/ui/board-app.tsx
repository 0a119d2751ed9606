// The interactive board: one column per status, a detail view, actions and filters. Everything
// it reads or writes goes through a BoardSource (src/ui/source.ts), so the same component runs
// in the terminal (src/ui/board.tsx), under ink-testing-library, and for `board --once`.

import { Box, Text, useApp, useInput, useStdout } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Status, Task } from '../core/task.js';
import { type BoardFilter, type BoardTask, type Column, cardDetail, columnsOf, oneLine } from './model.js';
import { type DetailLine, detailLines, fitLines } from './detail.js';
import type { BoardAction, BoardSource } from './source.js';

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

const ACTION_KEYS: Record<string, BoardAction> = { c: 'claim', d: 'complete', r: 'release' };
const actionFor = (input: string): BoardAction | undefined => (Object.hasOwn(ACTION_KEYS, input) ? ACTION_KEYS[input] : undefined);
const DOING: Record<BoardAction, string> = { claim: 'Claiming', complete: 'Completing', release: 'Releasing' };
const BOARD_HELP = '←↓↑→/hjkl move · ⏎ open · c claim · d complete · r release · / filter · a author · q quit';
const DETAIL_HELP = '↓↑/jk scroll · ⏎/esc back · c claim · d complete · r release · q quit';

interface Cursor {
  col: number;
  row: number;
  id?: number; // the task under the cursor: it is followed when it moves (claimed, completed)
}

interface Prompt {
  kind: 'text' | 'author';
  value: string;
}

interface Message {
  text: string;
  error: boolean;
}

export function BoardApp({ source, width, height, live = true }: BoardAppProps) {
  const { exit } = useApp();
  const size = useTerminalSize(width, height);
  const [first] = useState(() => loadSafely(source));
  const [data, setData] = useState(first.data);
  const [now, setNow] = useState(() => source.now());
  const [filter, setFilter] = useState<BoardFilter>({});
  const [prompt, setPrompt] = useState<Prompt | undefined>();
  const [cursor, setCursor] = useState<Cursor | undefined>();
  const [detail, setDetail] = useState<{ task: Task; scroll: number } | undefined>();
  const [message, setMessage] = useState<Message | undefined>(first.error ? { text: first.error, error: true } : undefined);
  const busy = useRef(false);
  const mounted = useRef(true);
  const detailId = useRef<number | undefined>(undefined);
  detailId.current = detail?.task.id;

  const activeFilter = prompt ? { ...filter, [prompt.kind]: prompt.value } : filter;
  const columns = useMemo(() => columnsOf(data.tasks, activeFilter), [data, activeFilter.text, activeFilter.author]);
  const at = resolveCursor(cursor, columns);
  const selected = columns[at.col]?.tasks[at.row];

  const reload = useCallback(() => {
    if (!mounted.current) return;
    const loaded = loadSafely(source);
    setData(loaded.data);
    if (loaded.error) setMessage({ text: loaded.error, error: true });
    setNow(source.now());
    const id = detailId.current;
    if (id !== undefined) {
      try {
        const task = source.read(id);
        setDetail((d) => (d && d.task.id === id ? { ...d, task } : d));
      } catch (err) {
        setDetail(undefined);
        setMessage({ text: errorText(err), error: true });
      }
    }
  }, [source]);

  useEffect(() => {
    mounted.current = true;
    if (!live) return;
    const stop = source.watch(reload);
    const tick = setInterval(() => setNow(source.now()), 30_000);
    return () => {
      mounted.current = false;
      stop();
      clearInterval(tick);
    };
  }, [source, reload, live]);

  const act = (action: BoardAction, id: number) => {
    if (busy.current) return;
    busy.current = true;
    setMessage({ text: `${DOING[action]} #${id}…`, error: false });
    source.act(action, id).then(
      (text) => mounted.current && setMessage({ text, error: false }),
      (err: unknown) => mounted.current && setMessage({ text: errorText(err), error: true }),
    ).finally(() => {
      busy.current = false;
      reload();
    });
  };

  const byId = useMemo(() => new Map(data.tasks.map((t) => [t.id, t])), [data]);
  const lines = useMemo(() => (detail ? detailLines(detail.task, byId) : []), [detail?.task, byId]);
  const scrollBy = (n: number) =>
    detail && setDetail({ ...detail, scroll: clamp(detail.scroll + n, 0, Math.max(0, lines.length - 1)) });

  const move = (dCol: number, dRow: number) => {
    let col = at.col;
    if (dCol !== 0) {
      // Sideways to the next column that has tasks; empty ones have nothing to select.
      let next = at.col + dCol;
      while (next >= 0 && next < columns.length && columns[next]!.tasks.length === 0) next += dCol;
      if (next >= 0 && next < columns.length) col = next;
    }
    const tasks = columns[col]!.tasks;
    const row = clamp(dCol !== 0 ? at.row : at.row + dRow, 0, Math.max(0, tasks.length - 1));
    const id = tasks[row]?.id;
    setCursor(id === undefined ? { col, row } : { col, row, id });
  };

  const open = (id: number) => {
    try {
      setDetail({ task: source.read(id), scroll: 0 });
      setMessage(undefined);
    } catch (err) {
      setMessage({ text: errorText(err), error: true });
    }
  };

  useInput((input, key) => {
    if (prompt) {
      if (key.escape) {
        setFilter((f) => ({ ...f, [prompt.kind]: undefined }));
        setPrompt(undefined);
      } else if (key.return) {
        setFilter((f) => ({ ...f, [prompt.kind]: prompt.value.trim() || undefined }));
        setPrompt(undefined);
      } else if (key.backspace || key.delete) {
        setPrompt({ ...prompt, value: [...prompt.value].slice(0, -1).join('') });
      } else if (input && !key.ctrl && !key.meta) {
        setPrompt({ ...prompt, value: prompt.value + oneLine(input) });
      }
      return;
    }
    if (input === 'q') return exit();
    if (detail) {
      if (key.escape || key.return || key.backspace || input === 'h' || key.leftArrow) setDetail(undefined);
      else if (key.downArrow || input === 'j') scrollBy(1);
      else if (key.upArrow || input === 'k') scrollBy(-1);
      else if (key.pageDown || input === ' ') scrollBy(Math.max(1, size.height - 5));
      else if (key.pageUp) scrollBy(-Math.max(1, size.height - 5));
      else if (actionFor(input)) act(actionFor(input)!, detail.task.id);
      return;
    }
    if (key.escape) return exit();
    if (key.leftArrow || input === 'h') move(-1, 0);
    else if (key.rightArrow || input === 'l') move(1, 0);
    else if (key.upArrow || input === 'k') move(0, -1);
    else if (key.downArrow || input === 'j') move(0, 1);
    else if (key.return && selected) open(selected.id);
    else if (input === '/') setPrompt({ kind: 'text', value: filter.text ?? '' });
    else if (input === 'a') setPrompt({ kind: 'author', value: filter.author ?? '' });
    else if (actionFor(input) && selected) act(actionFor(input)!, selected.id);
  });

  const shown = data.tasks.filter((t) => t.status !== 'archived').length;
  const body = size.height - 4; // title, column heads / blank, message, help
  return (
    <Box flexDirection="column" width={size.width}>
      <TitleBar count={shown} filter={activeFilter} warnings={data.warnings.length} />
      {detail ? (
        <DetailView lines={lines} scroll={detail.scroll} width={size.width} height={body + 1} />
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

function TitleBar({ count, filter, warnings }: { count: number; filter: BoardFilter; warnings: number }) {
  const parts = [`${count} task${count === 1 ? '' : 's'}`];
  if (filter.text) parts.push(`text "${oneLine(filter.text)}"`);
  if (filter.author) parts.push(`author "${oneLine(filter.author)}"`);
  if (warnings) parts.push(`${warnings} file${warnings === 1 ? '' : 's'} skipped (hzl doctor)`);
  return (
    <Text wrap="truncate-end">
      <Text bold>hzl board</Text>
      <Text dimColor> · {parts.join(' · ')}</Text>
    </Text>
  );
}

/** Columns narrower than this are unreadable: a narrow terminal shows fewer, around the cursor. */
const MIN_COLUMN_WIDTH = 18;

function ColumnsView({ columns, at, now, width, height }: { columns: Column[]; at: Cursor; now: Date; width: number; height: number }) {
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
      {overflow && hidden > 0 ? (
        <Text dimColor wrap="truncate-end">{`… ${hidden} more`}</Text>
      ) : null}
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

function DetailView({ lines, scroll, width, height }: { lines: DetailLine[]; scroll: number; width: number; height: number }) {
  const { shown, more } = fitLines(lines, scroll, width, height);
  return (
    <Box flexDirection="column" height={height}>
      {shown.map((line, i) => (
        <Text key={i} wrap="wrap" bold={line.bold} dimColor={line.dim} color={line.status ? STATUS_COLOR[line.status] : undefined}>
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

function resolveCursor(cursor: Cursor | undefined, columns: Column[]): Cursor {
  if (cursor?.id !== undefined) {
    for (let c = 0; c < columns.length; c++) {
      const row = columns[c]!.tasks.findIndex((t) => t.id === cursor.id);
      if (row !== -1) return { col: c, row, id: cursor.id };
    }
  }
  if (!cursor) {
    // Start where the work is: the first column with tasks, preferring in progress, then ready.
    const order = ['in_progress', 'ready', 'blocked', 'backlog', 'done'];
    const first = order.map((s) => columns.findIndex((c) => c.status === s)).find((c) => c !== -1 && columns[c]!.tasks.length > 0);
    return { col: first ?? 0, row: 0 };
  }
  const col = clamp(cursor.col, 0, columns.length - 1);
  return { col, row: clamp(cursor.row, 0, Math.max(0, columns[col]!.tasks.length - 1)) };
}

function useTerminalSize(width?: number, height?: number): { width: number; height: number } {
  const { stdout } = useStdout();
  const read = () => ({
    width: width ?? (stdout?.columns || 100),
    height: height ?? (stdout?.rows || 30),
  });
  const [size, setSize] = useState(read);
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

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(Math.max(n, lo), Math.max(lo, hi));
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return `hzl: ${text}`;
}
