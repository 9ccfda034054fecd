import type { ControlClient } from '../control/client.ts';
import { takesLeases, type AttachRequest } from '../control/protocol.ts';
import { HookError } from '../core/index.ts';
import { formatTrace } from '../exits/trace-line.ts';
import { agentClient } from './agent-client.ts';
import { whenClosed, type Io } from './io.ts';
import { styleFor } from './output.ts';

/**
 * `hookwire trace --pid PID SITE...`: traces sites of a running program. Attaches a trace exit to
 * each over the control socket, prints the records of the event stream as they come (JSON lines
 * with `--json`), and removes its attachments when it stops: after `durationMs`, on Ctrl-C,
 * SIGTERM or SIGHUP, when its output's reader goes away, or when the program exits. Resolves to 0.
 */
export async function traceRunning(
  pid: number,
  sites: string[],
  options: { every?: number; durationMs?: number; json?: boolean },
  io: Io,
): Promise<number> {
  const client = await agentClient(pid, io);
  const style = styleFor(io.stdout, io.env);
  const names: string[] = [];
  const wanted = new Set<string>();
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  let subscribed: () => void = () => {};
  const ready = new Promise<void>((resolve) => (subscribed = resolve));
  // A reader that went away (`| head -1`) stops the trace like Ctrl-C: its exits are removed.
  let closed = false;
  whenClosed(io.stdout, () => {
    closed = true;
    stop();
  });
  // The exits live only as long as this stream: a tracer killed with SIGKILL leaves none behind.
  // An agent of a hookwire from before leases (protocol 1) gets none: the exits are then removed
  // only by this command's end.
  const lease = takesLeases(await client.info()) ? `trace-${process.pid}-${Date.now().toString(36)}` : undefined;
  const events = client.events(
    (e) => {
      subscribed();
      if (e.event !== 'trace' || closed) return;
      const record = e.data;
      if (!wanted.has(record.site)) return;
      io.stdout.write(`${options.json === true ? JSON.stringify(record) : formatTrace(record, style)}\n`);
    },
    lease === undefined ? {} : { lease },
  );
  events.done.then(stop, stop);
  // Attach only once the stream is open (it starts with a stats event), so no record is missed.
  await Promise.race([ready, events.done.catch(() => {})]);
  // Whatever happens, the attachments made here are removed before returning; an error while
  // attaching wins over one while removing (the first problem is the one to report).
  let failure: { error: unknown } | undefined;
  try {
    for (const [i, site] of sites.entries()) {
      const exit = options.every === undefined ? { type: 'trace' } : { type: 'trace', every: options.every };
      const request: AttachRequest = { target: site, exit, name: `hookwire-trace-${process.pid}-${i}` };
      const answer = await client.attach(lease === undefined ? request : { ...request, lease });
      const { attached } = answer;
      names.push(attached.name);
      wanted.add(attached.kind === 'probe' ? `probe:${attached.target.replace(/^probe:/u, '')}` : attached.target);
    }
    io.stderr.write(`tracing ${sites.join(', ')} in process ${pid}${options.durationMs === undefined ? ' (Ctrl-C stops)' : ''}\n`);
    const timer = options.durationMs === undefined ? undefined : setTimeout(stop, options.durationMs);
    for (const signal of STOP_SIGNALS) process.on(signal, stop);
    await stopped;
    clearTimeout(timer);
    for (const signal of STOP_SIGNALS) process.off(signal, stop);
  } catch (error) {
    failure = { error };
  }
  // Removed before the stream closes (which would remove them too), so that a failure is seen.
  const cleanup = await removeAll(client, names);
  events.close();
  if (failure !== undefined) throw failure.error;
  if (cleanup !== undefined) throw cleanup.error;
  return 0;
}

/** The signals that stop a trace (its exits removed): Ctrl-C, kill, a closed terminal. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Removes the named attachments; the first unexpected error, if any (a gone program is not one). */
async function removeAll(client: ControlClient, names: readonly string[]): Promise<{ error: unknown } | undefined> {
  let first: { error: unknown } | undefined;
  for (const name of names) {
    try {
      await client.remove({ name });
    } catch (error) {
      // The program may have exited meanwhile: nothing left to remove then.
      if (!(error instanceof HookError && error.code === 'ERR_AGENT_UNREACHABLE')) first ??= { error };
    }
  }
  return first;
}
