// Helpers of the tests of the cross-thread API (armEverywhere, disarmEverywhere,
// synchronizeEverywhere): test/threads/fixtures/api-workers.mjs, a main thread and 3 workers
// with their own copies of the same hooks, run under `hookwire run` (or without the agent).
import { join } from 'node:path';
import { cli, root, spawnNode } from '../control/helpers.ts';
import { fixtures } from './helpers.ts';

export const API_PROGRAM = join(fixtures, 'api-workers.mjs');

/** One thread's `api:tick` after it fired once: its count and its exits' armed states. */
export interface Fired {
  slot: number;
  count: number;
  armed: { count: boolean; other: boolean };
  /** Whether its `api:slow` exit is armed. */
  slow: boolean;
}

/** A refused call's code and message, or the value it resolved to. */
export interface Outcome {
  ok?: { threads: number };
  code?: string;
  message?: string;
}

/**
 * Runs one scenario of api-workers.mjs and returns its result (`threads`: the workers' thread
 * ids): under `hookwire run`, with only the agent (`--import`, no thread preload at start), or plain.
 */
export async function scenario<T>(
  name: string,
  env: Record<string, string> = {},
  how: 'run' | 'import' | 'plain' = 'run',
): Promise<T & { threads: number[] }> {
  const args =
    how === 'run' ? [cli, 'run', '--', API_PROGRAM] : how === 'import' ? ['--import', join(root, 'dist/control/agent.js'), API_PROGRAM] : [API_PROGRAM];
  const child = spawnNode(args, { SCENARIO: name, ...env }, 60_000);
  child.proc.stdin!.end();
  const code = await child.exited;
  const line = child
    .stdout()
    .split('\n')
    .find((l) => l.startsWith('result '));
  if (code !== 0 || line === undefined) throw new Error(`scenario ${name} exited with ${code}: ${child.stdout()}\n${child.stderr()}`);
  return JSON.parse(line.slice('result '.length)) as T & { threads: number[] };
}

/** Every thread's `armed` states (slot order). */
export const armedStates = (fired: Fired[]): Fired['armed'][] => fired.map((f) => f.armed);

export const NONE_ARMED = { count: false, other: false };
