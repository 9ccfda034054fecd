/**
 * The processes of one `hookwire run`, read back from its summary directory when the first
 * process has ended: each process's summary (`<pid>.json`, written at its exit) and its start mark
 * (`<pid>.started`, membership.ts). Forked processes may outlive the first one by a little (cluster
 * workers finishing after a disconnect), so the run waits, bounded, for every process it saw start
 * to write its summary or end; a process that ended without one was killed by a signal nothing can
 * catch (SIGKILL), and one still running after the wait is left running. Both are named, never
 * counted silently as zero.
 */
import type { AgentSummary } from '../summary.ts';
import type { StartedMark } from './membership.ts';

// Built-ins through process.getBuiltinModule: an ES import builds each one's module facade at start.
const { existsSync, readdirSync, readFileSync } = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');

/** How long the run waits, after its first process ended, for the others' summaries. */
export const MEMBER_WAIT_MS = 5_000;
const POLL_MS = 20;

/** A process that started in the run and left no summary. */
export interface MissingMember {
  pid: number;
  ppid: number;
  argv: string[];
  /** Still running when the run stopped waiting; else it ended without writing one (SIGKILL, a crash of Node itself). */
  running: boolean;
}

/** Every summary of the run, in the order the processes started, and the processes without one. */
export interface RunMembers {
  summaries: AgentSummary[];
  missing: MissingMember[];
}

/** Reads the run's summaries, waiting (at most `waitMs`) for processes still alive that have not written theirs. */
export async function collectMembers(dir: string, waitMs = MEMBER_WAIT_MS): Promise<RunMembers> {
  const steps = waitForMembers(dir, waitMs);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done === true) return step.value;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * {@link collectMembers} for a process that is ending (`hookwire run` in the program's own
 * process, at its exit): the event loop no longer turns, so it sleeps between looks.
 */
export function collectMembersSync(dir: string, waitMs = MEMBER_WAIT_MS): RunMembers {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const steps = waitForMembers(dir, waitMs);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done === true) return step.value;
    Atomics.wait(pause, 0, 0, POLL_MS);
  }
}

/** Looks at the directory until every process it saw start is done or `waitMs` passed; yields to wait. */
function* waitForMembers(dir: string, waitMs: number): Generator<void, RunMembers> {
  const until = Date.now() + waitMs;
  for (;;) {
    const { summaries, started } = readDir(dir);
    const done = new Set(summaries.map((s) => s.pid));
    const waiting = started.filter((m) => !done.has(m.pid) && alive(m.pid));
    if (waiting.length === 0 || Date.now() >= until) {
      const missing = started.filter((m) => !done.has(m.pid)).map((m) => ({ pid: m.pid, ppid: m.ppid, argv: m.argv, running: alive(m.pid) }));
      return { summaries, missing };
    }
    yield;
  }
}

function readDir(dir: string): { summaries: AgentSummary[]; started: StartedMark[] } {
  const summaries: AgentSummary[] = [];
  const started: StartedMark[] = [];
  if (!existsSync(dir)) return { summaries, started };
  for (const name of readdirSync(dir).sort()) {
    const json = name.endsWith('.json');
    if (!json && !name.endsWith('.started')) continue;
    try {
      const value: unknown = JSON.parse(readFileSync(join(dir, name), 'utf8'));
      if (json) summaries.push(value as AgentSummary);
      else started.push(value as StartedMark);
    } catch {
      // A summary being written, or half written by a process killed meanwhile: not there yet.
    }
  }
  summaries.sort((a, b) => a.startedAt - b.startedAt);
  started.sort((a, b) => a.startedAt - b.startedAt);
  return { summaries, started };
}

/** The process exists and is not a zombie (an ended child its parent has not reaped yet). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // Linux: the state after the command name, which may itself hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}
