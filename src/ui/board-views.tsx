// The board's views: the title bar, the columns of cards, a task's detail and the status line.
// Pure renderings of the state board-app.tsx holds; they read nothing and write nothing.

import { Box, Text } from 'ink';
import type { Status } from '../core/task.js';
import { type Cursor, type Message, type Prompt, clamp } from './board-state.js';
import { type DetailLine, fitLines } from './detail.js';
import { type BoardFilter, type BoardTask, type Column, cardDetail, oneLine } from './model.js';

const STATUS_COLOR: Record<Status, string> = {
  backlog: 'gray',
  ready: 'cyan',
  in_progress: 'yellow',
  blocked: 'red',
  done: 'green',
  archived: 'gray',
};

export function TitleBar({ count, filter, warnings }: { count: number; filter: BoardFilter; warnings: number }) {
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

export function ColumnsView({
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

export function DetailView({
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

export function StatusLine({ prompt, message }: { prompt: Prompt | undefined; message: Message | undefined }) {
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
