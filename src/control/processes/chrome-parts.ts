/**
 * A Chrome trace file is one JSON array that its writer rewrites at its end on every record
 * (exits/chrome-format.ts), so two processes cannot share it. A process other than its run's
 * first writes its own part beside it (`trace.json.p1234`); `hookwire run` folds the parts into
 * the file when the run ends, and mends a file a SIGKILL cut inside a record. Events carry their pid, so the viewer shows each process apart.
 */
import { readChromeTrace } from '../../exits/chrome-format.ts';
import { builtin } from '../../probe/host.ts';

const { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } = builtin('node:fs') ?? process.getBuiltinModule('node:fs');
const { basename, dirname, join } = builtin('node:path') ?? process.getBuiltinModule('node:path');

/** Where process `pid` (not the run's first) writes its part of the Chrome trace `file`. */
export function chromePartPath(file: string, pid: number): string {
  return `${file}.p${pid}`;
}

/** What finishing a run's Chrome trace did that its user should hear of. */
export interface ChromeTraceFinish {
  /** Parts that could not be read, left beside the file as they are. */
  left: string[];
  /** Files (the trace or a part) that ended inside a record a SIGKILL cut: that record is left out. */
  cut: string[];
}

/**
 * Makes a run's Chrome trace `file` one valid JSON array again when the run ends: appends every
 * process's part (then removes it), and mends a file or part whose writer a SIGKILL stopped inside
 * a record's write (readChromeTrace: the events before the cut). The file is rewritten only when
 * one of these happened.
 */
export function finishChromeTrace(file: string): ChromeTraceFinish {
  const done: ChromeTraceFinish = { left: [], cut: [] };
  const dir = dirname(file);
  const prefix = `${basename(file)}.p`;
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.startsWith(prefix) && /^\d+$/u.test(n.slice(prefix.length)));
  } catch {
    names = [];
  }
  let events: unknown[];
  try {
    const read = existsSync(file) ? readChromeTrace(readFileSync(file, 'utf8')) : { events: [], cut: false };
    if (read.cut) done.cut.push(file);
    events = read.events;
  } catch {
    // Not a trace this run wrote: leave it, and the parts with it.
    done.left = names.map((n) => join(dir, n));
    return done;
  }
  if (names.length === 0 && done.cut.length === 0) return done;
  const folded: string[] = [];
  for (const name of names.sort()) {
    const path = join(dir, name);
    try {
      const part = readChromeTrace(readFileSync(path, 'utf8'));
      if (part.cut) done.cut.push(path);
      events.push(...part.events);
      folded.push(path);
    } catch {
      done.left.push(path);
    }
  }
  writeFileSync(file, `[\n${events.map((e) => JSON.stringify(e)).join(',\n')}\n]\n`);
  for (const path of folded) rmSync(path, { force: true });
  return done;
}
