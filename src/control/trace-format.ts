/** The colours a trace line uses (identity functions for plain text). */
export interface TraceColors {
  dim(text: string): string;
  cyan(text: string): string;
  red(text: string): string;
}

/** ANSI colours, or none. */
export function traceColors(on: boolean): TraceColors {
  const wrap = (open: number, close: number) => (text: string) => (on ? `\x1b[${open}m${text}\x1b[${close}m` : text);
  return { dim: wrap(2, 22), cyan: wrap(36, 39), red: wrap(31, 39) };
}

/**
 * One trace record as a line for people: time, site, arguments, then `→ result` or `threw
 * Name: message`, and the duration. Values are the trace exit's safe summaries, shown as JSON.
 */
export function formatTrace(record: Record<string, unknown>, style: TraceColors): string {
  const time = typeof record['time'] === 'number' ? new Date(record['time']).toISOString().slice(11, 23) : '--:--:--.---';
  const site = String(record['site'] ?? '?');
  const event = String(record['event'] ?? '');
  const parts = [style.dim(time), style.cyan(site)];
  const args = Array.isArray(record['args']) ? record['args'].map(short).join(', ') : short(record['args']);
  parts.push(`(${args})`);
  const error = record['error'] as { name?: unknown; message?: unknown } | undefined;
  if (error !== undefined && error !== null) parts.push(style.red(`threw ${String(error.name ?? 'Error')}: ${String(error.message ?? '')}`));
  else if ('result' in record && event === 'call') parts.push(`→ ${short(record['result'])}`);
  if (typeof record['durationMs'] === 'number') parts.push(style.dim(`${(record['durationMs'] as number).toFixed(3)}ms`));
  if (record['async'] === true) parts.push(style.dim('async'));
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
