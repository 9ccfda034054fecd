/** Numbers as the page shows them (the CLI's units: ms with sensible digits, rates per second). */
export function ms(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  if (value < 0.01) return `${(value * 1000).toFixed(1)} µs`;
  if (value < 10) return `${value.toFixed(2)} ms`;
  return `${value.toFixed(0)} ms`;
}

export function rate(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  if (value >= 10_000) return `${(value / 1000).toFixed(0)}k/s`;
  if (value >= 1000) return `${(value / 1000).toFixed(1)}k/s`;
  return `${value.toFixed(value < 10 ? 1 : 0)}/s`;
}

export function count(value: number): string {
  return value.toLocaleString('en');
}

export function clock(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(11, 23);
}

export function uptime(startedAt: number, now: number): string {
  const s = Math.max(0, Math.round((now - startedAt) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** A short, one-line rendering of a traced value. */
export function brief(value: unknown, max = 160): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
