// One trace record as a line for people: the one format shared by the trace exit's text sink, the
// agent's stderr output and `hookwire trace`.
import { colorStyle } from './color.ts';
import type { TraceRecord } from './sinks.ts';

/** The colours a trace line uses (identity functions for plain text). */
export interface TraceColors {
  dim(text: string): string;
  cyan(text: string): string;
  red(text: string): string;
}

const PLAIN = traceColors(false);

/** ANSI colours, or none (whether a stream gets colour is color.ts's colorEnabled). */
export function traceColors(on: boolean): TraceColors {
  return colorStyle(on);
}

/**
 * One trace record as a line for people: time, the process (`[p1234]`, for a record of a process
 * other than its run's first), the worker thread (`[w3]`, for a record a worker thread made), site, arguments, then `→ result` or `threw Name: message`, and the duration. Values are the trace exit's safe summaries, shown as JSON.
 */
export function formatTrace(record: TraceRecord | Record<string, unknown>, style: TraceColors = PLAIN): string {
  const r = record as Record<string, unknown>;
  const time = typeof r['time'] === 'number' ? new Date(r['time']).toISOString().slice(11, 23) : '--:--:--.---';
  const site = text(r['site'], '?');
  const event = text(r['event'], '');
  const parts = [style.dim(time)];
  // A forked process's record says which, a worker thread's which thread (the first process's main thread's lines are unchanged).
  if (typeof r['pid'] === 'number') parts.push(style.dim(`[p${r['pid']}]`));
  if (typeof r['thread'] === 'number' && r['thread'] > 0) parts.push(style.dim(`[w${r['thread']}]`));
  parts.push(style.cyan(site));
  const args = Array.isArray(r['args']) ? r['args'].map(short).join(', ') : short(r['args']);
  parts.push(`(${args})`);
  const error = r['error'] as { name?: unknown; message?: unknown } | undefined;
  if (error !== undefined && error !== null) parts.push(style.red(`threw ${text(error.name, 'Error')}: ${text(error.message, '')}`));
  else if ('result' in r && event === 'call') parts.push(`→ ${short(r['result'])}`);
  if (typeof r['durationMs'] === 'number') parts.push(style.dim(`${r['durationMs'].toFixed(3)}ms`));
  if (r['async'] === true) parts.push(style.dim('async'));
  return parts.join(' ');
}

function short(value: unknown): string {
  let text: string;
  try {
    // The summariser's markers ("[undefined]", "[Function foo]") read best without quotes.
    text = value === undefined ? 'undefined' : typeof value === 'string' && /^\[[^\]]*\]$/u.test(value) ? value : JSON.stringify(value);
  } catch {
    text = String(value);
  }
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

/** A record field as text: records come from JSON, so anything but a primitive is shown as JSON. */
function text(value: unknown, absent: string): string {
  if (value === undefined || value === null) return absent;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- only primitives reach String()
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
