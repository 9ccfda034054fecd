import { colorEnabled, colorStyle, type ColorStyle } from '../exits/color.ts';
import type { Io } from './io.ts';

/** ANSI styles, or plain text when the stream gets no colour. */
export type Style = ColorStyle;

/** The style for `stream`: colour as {@link colorEnabled} decides (a terminal, no NO_COLOR, no TERM=dumb). */
export function styleFor(stream: { isTTY?: boolean }, env: Io['env']): Style {
  return colorStyle(colorEnabled(stream, env));
}

/** Column alignment of a {@link table}. */
export type Align = 'left' | 'right';

/**
 * Lays out rows under a header, columns padded to their widest cell. `align` gives each column's
 * alignment (numbers read best right-aligned). The header is styled with `style.bold`.
 */
export function table(header: string[], rows: string[][], align: Align[], style?: Style): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => visible(r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => {
        const pad = ' '.repeat(Math.max(0, (widths[i] ?? 0) - visible(cell).length));
        return align[i] === 'right' ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  const head = line(header);
  return [style ? style.bold(head) : head, ...rows.map(line)].join('\n');
}

/** Milliseconds for people: `-` for none, 3 significant digits, switching to s at 10 s. */
export function ms(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  if (value >= 10_000) return `${(value / 1000).toFixed(1)}s`;
  if (value >= 100) return `${value.toFixed(0)}ms`;
  if (value >= 10) return `${value.toFixed(1)}ms`;
  if (value >= 1) return `${value.toFixed(2)}ms`;
  return `${value.toFixed(3)}ms`;
}

/** A duration for people: 42s, 3m05s, 2h01m. */
export function duration(msValue: number): string {
  const s = Math.floor(msValue / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function visible(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/gu, '');
}
