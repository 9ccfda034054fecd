/**
 * Colour for people: whether a stream gets it, and the ANSI styles. The one decision for every
 * human-readable output (the CLI's tables and trace lines, the agent's trace lines on stderr).
 */

/** ANSI styles, or identity functions when colour is off. */
export interface ColorStyle {
  readonly on: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

/**
 * Whether text written to `stream` should be coloured: only on a terminal, never when NO_COLOR is
 * set to a non-empty value (no-color.org), never when TERM is `dumb`.
 */
export function colorEnabled(stream: { isTTY?: boolean } | undefined, env: Readonly<Record<string, string | undefined>>): boolean {
  const noColor = env['NO_COLOR'];
  return stream?.isTTY === true && (noColor === undefined || noColor === '') && env['TERM'] !== 'dumb';
}

/** The ANSI styles when `on`, plain text otherwise. */
export function colorStyle(on: boolean): ColorStyle {
  const wrap = (open: number, close: number) => (text: string) => (on ? `\x1b[${open}m${text}\x1b[${close}m` : text);
  return { on, bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) };
}
