import { connectAgent, type ControlClient } from '../control/client.ts';
import { bringAgent } from '../control/inspector-attach.ts';
import { readProcess } from '../control/node-process.ts';
import { runtimeDir } from '../control/runtime-dir.ts';
import { HookError } from '../core/index.ts';
import type { Io } from './io.ts';

/**
 * A client for the agent in process `pid`, for the commands that take a PID (ls, attach, top,
 * trace --pid). A Node process of this user that runs without the agent gets one brought in
 * through its inspector (`control/inspector-attach.ts`), with one line on stderr saying so and
 * how long the inspector port was open. A process that does not exist keeps the plain
 * "no agent" error. `HOOKWIRE_IDLE_MS` sets how long a brought-in agent stays without
 * attachments (default 30000).
 */
export async function agentClient(pid: number, io: Io): Promise<ControlClient> {
  const dir = runtimeDir(io.env);
  try {
    return connectAgent(pid, { dir });
  } catch (error) {
    if (!(error instanceof HookError && error.code === 'ERR_AGENT_UNREACHABLE') || readProcess(pid) === undefined) throw error;
  }
  const idle = io.env['HOOKWIRE_IDLE_MS'];
  const idleMs = idle === undefined || idle === '' ? undefined : Number(idle);
  if (idleMs !== undefined && !(Number.isInteger(idleMs) && idleMs >= 100 && idleMs <= 86_400_000)) {
    throw new HookError('ERR_INVALID_ARG', `HOOKWIRE_IDLE_MS must be a whole number of milliseconds from 100 to 86400000, got "${idle}"`);
  }
  const brought = await bringAgent(pid, { dir, ...(idleMs !== undefined && { idleMs }) });
  io.stderr.write(
    `hookwire: process ${pid} ran without the agent: brought it in through its inspector ` +
      `(127.0.0.1:${brought.inspector.port} open ${brought.inspectorOpenMs.toFixed(0)} ms, closed again)\n`,
  );
  return connectAgent(pid, { dir });
}
