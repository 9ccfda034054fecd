/**
 * A Chrome trace file is one JSON array that its writer rewrites at its end on every record
 * (exits/chrome-format.ts), so two processes cannot share it. A process other than its run's
 * first writes its own part beside it (`trace.json.p1234`); `hookwire run` folds the parts into
 * the file when the run ends. Events carry their pid, so the viewer shows each process apart.
 */
import { builtin } from '../../probe/host.ts';

const { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } = builtin('node:fs') ?? process.getBuiltinModule('node:fs');
const { basename, dirname, join } = builtin('node:path') ?? process.getBuiltinModule('node:path');

/** Where process `pid` (not the run's first) writes its part of the Chrome trace `file`. */
export function chromePartPath(file: string, pid: number): string {
  return `${file}.p${pid}`;
}

/**
 * Appends every part's events to the Chrome trace `file` (when both parse) and removes the parts.
 * Returns the parts that could not be folded in (left as they are), for the caller to name.
 */
export function foldChromeParts(file: string): string[] {
  const dir = dirname(file);
  const prefix = `${basename(file)}.p`;
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.startsWith(prefix) && /^\d+$/u.test(n.slice(prefix.length)));
  } catch {
    return [];
  }
  if (names.length === 0) return [];
  const left: string[] = [];
  let events: unknown[];
  try {
    events = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as unknown[]) : [];
    if (!Array.isArray(events)) throw new Error('not an array');
  } catch {
    return names.map((n) => join(dir, n));
  }
  for (const name of names.sort()) {
    const path = join(dir, name);
    try {
      const part = JSON.parse(readFileSync(path, 'utf8')) as unknown;
      if (!Array.isArray(part)) throw new Error('not an array');
      events.push(...(part as unknown[]));
      rmSync(path, { force: true });
    } catch {
      left.push(path);
    }
  }
  writeFileSync(file, `[\n${events.map((e) => JSON.stringify(e)).join(',\n')}\n]\n`);
  return left;
}
