import { ControlClient, connectAgent } from '../control/client.ts';
import { bringAgent } from '../control/inspector-attach.ts';
import { readProcess, type ProcessFacts } from '../control/node-process.ts';
import { runtimeDir, socketPath } from '../control/runtime-dir.ts';
import { HookError } from '../core/errors.ts';
import type { Io } from './io.ts';

// Built-ins through process.getBuiltinModule: an ES import builds each one's module facade at start.
const { lstatSync } = process.getBuiltinModule('node:fs');

/** How `agentClient` may reach a process. */
export interface AgentClientOptions {
  /** Root may reach another user's process (`--allow-root`, or `HOOKWIRE_ALLOW_ROOT=1`). */
  allowRoot?: boolean;
  /**
   * Whether to bring the agent into a process that runs without it (default true). arm, disarm
   * and remove act on attachments that exist: a process without the agent has none.
   */
  bring?: boolean;
}

/**
 * A client for the agent in process `pid`, for the commands that take a PID (ls, attach, top,
 * trace --pid). A Node process of this user that runs without the agent gets one brought in
 * through its inspector (`control/inspector-attach.ts`), with one line on stderr saying so and
 * how long the inspector port was open. A process that does not exist keeps the plain
 * "no agent" error. `HOOKWIRE_IDLE_MS` sets how long a brought-in agent stays without
 * attachments (default 30000). Root reaches another user's process only when allowed
 * (`--allow-root` or `HOOKWIRE_ALLOW_ROOT=1`): its agent's socket is then in that user's runtime
 * directory, read from the process's environment.
 */
export async function agentClient(pid: number, io: Io, options: AgentClientOptions = {}): Promise<ControlClient> {
  const allowRoot = options.allowRoot === true || io.env['HOOKWIRE_ALLOW_ROOT'] === '1';
  const facts = allowRoot && process.getuid?.() === 0 ? readProcess(pid) : undefined;
  const other = facts !== undefined && facts.uid !== 0 ? facts : undefined;
  const dir = other === undefined ? runtimeDir(io.env) : other.userRuntimeDir;
  const connect = (): ControlClient => (other === undefined ? connectAgent(pid, { dir }) : otherUsersAgent(pid, other));
  try {
    return connect();
  } catch (error) {
    if (!(error instanceof HookError && error.code === 'ERR_AGENT_UNREACHABLE')) throw error;
    // A program started with the agent serves its socket a moment after it starts (issue 8): wait for it.
    if (readProcess(pid)?.agent.preloaded === true) {
      const client = await socketWithin(connect, SOCKET_WAIT_MS);
      if (client !== undefined) return client;
    }
    if (options.bring === false || readProcess(pid) === undefined) throw error;
  }
  const idle = io.env['HOOKWIRE_IDLE_MS'];
  const idleMs = idle === undefined || idle === '' ? undefined : Number(idle);
  if (idleMs !== undefined && !(Number.isInteger(idleMs) && idleMs >= 100 && idleMs <= 86_400_000)) {
    throw new HookError('ERR_INVALID_ARG', `HOOKWIRE_IDLE_MS must be a whole number of milliseconds from 100 to 86400000, got "${idle}"`);
  }
  let brought;
  try {
    brought = await bringAgent(pid, { dir, allowRoot, ...(idleMs !== undefined && { idleMs }) });
  } catch (error) {
    // Another hookwire bringing the agent in at this moment holds the inspector port, or closed it
    // under this one's session (both saw the port free): use its agent.
    if (!(error instanceof HookError && (error.code === 'ERR_INSPECTOR_BUSY' || error.code === 'ERR_ATTACH_FAILED'))) throw error;
    const client = await socketWithin(connect, BUSY_WAIT_MS);
    if (client === undefined) throw error;
    return client;
  }
  io.stderr.write(
    `hookwire: process ${pid} ran without the agent: brought it in through its inspector ` +
      `(127.0.0.1:${brought.inspector.port} open ${brought.inspectorOpenMs.toFixed(0)} ms, closed again)\n`,
  );
  return other === undefined ? connectAgent(pid, { dir }) : otherUsersAgent(pid, other);
}

/** How long a process that runs the agent has to serve its socket before it counts as unreachable. */
const SOCKET_WAIT_MS = 2000;

/**
 * How long an inspector found open (or closed under this command's session) is given to turn out
 * to be another hookwire's, bringing the agent in (its socket then appears), before it counts as
 * a debugger's (or the failure as this command's own).
 */
const BUSY_WAIT_MS = 3000;

/** `connect()` once the socket is there, polling until `ms` have passed; undefined if it never came. */
async function socketWithin(connect: () => ControlClient, ms: number): Promise<ControlClient | undefined> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    try {
      return connect();
    } catch (error) {
      if (!(error instanceof HookError && error.code === 'ERR_AGENT_UNREACHABLE')) throw error;
    }
  }
  return undefined;
}

/**
 * Root's client for the agent of another user's process, in that user's runtime directory: it
 * must be a real directory that user owns with no access for group and others (what
 * `runtime-dir.ts` requires of one's own), else ERR_INSECURE_DIR; no socket there is ERR_AGENT_UNREACHABLE.
 */
function otherUsersAgent(pid: number, facts: ProcessFacts): ControlClient {
  const dir = facts.userRuntimeDir;
  let stat;
  try {
    stat = lstatSync(dir);
  } catch {
    throw new HookError('ERR_AGENT_UNREACHABLE', `no agent runs for uid ${facts.uid} (no ${dir})`);
  }
  if (!stat.isDirectory() || stat.uid !== facts.uid || (stat.mode & 0o077) !== 0) {
    throw new HookError(
      'ERR_INSECURE_DIR',
      `the runtime directory ${dir} of uid ${facts.uid} must be a directory it owns with mode 700 (it is uid ${stat.uid}, mode ${(stat.mode & 0o777).toString(8)})`,
    );
  }
  const path = socketPath(pid, dir);
  try {
    if (!lstatSync(path).isSocket()) throw new Error('not a socket');
  } catch {
    throw new HookError('ERR_AGENT_UNREACHABLE', `no agent runs in process ${pid} (no ${path})`);
  }
  return new ControlClient({ path });
}
