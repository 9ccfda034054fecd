// Helpers of the thread tests: programs with worker threads run under `hookwire run`.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { call, cli, root, spawnNode, until, type Answer, type Child } from '../control/helpers.ts';

export const fixtures = join(root, 'test/threads/fixtures');
/** The probe spec of the function every test program calls, in the main thread and in workers. */
export const WORK = './test/threads/fixtures/lib.cjs#work';

/** A program with workers under `hookwire run`, its socket, and the worker thread ids it printed. */
export interface LiveProgram extends Child {
  socketPath: string;
  pid: number;
  threads: number[];
  request(method: string, path: string, body?: object): Promise<Answer>;
  stop(): Promise<number | string>;
}

/** Starts test/threads/fixtures/live-workers.mjs under `hookwire run` in runtime directory `dir`. */
export async function startLive(dir: string, runArgs: string[] = [], env: Record<string, string> = {}): Promise<LiveProgram> {
  const child = spawnNode([cli, 'run', ...runArgs, '--', join(fixtures, 'live-workers.mjs')], { HOOKWIRE_RUNTIME_DIR: dir, ...env }, 60_000);
  const ready = await until(() => /ready ([\d,]+)/u.exec(child.stdout())?.[1], `the workers to run (stderr: ${child.stderr()})`, 45_000);
  const sock = await until(() => readdirSync(dir).find((f) => f.endsWith('.sock')), 'the agent socket');
  const socketPath = join(dir, sock);
  return {
    ...child,
    socketPath,
    pid: Number(sock.replace('.sock', '')),
    threads: ready.split(',').map(Number),
    request: (method, path, body) => call({ socketPath }, method, path, body),
    stop: () => {
      child.proc.stdin!.end();
      return child.exited;
    },
  };
}

/** An attachment's summed hits and its per-thread parts from `GET /v1/hooks`. */
export async function hitsOf(program: LiveProgram, name: string): Promise<{ hits: number; threads: { thread: number; hits: number }[] }> {
  const answer = await program.request('GET', '/v1/hooks');
  const body = answer.body as { attachments: { name: string; stats: { hits: number }; threads?: { thread: number; stats: { hits: number } }[] }[] };
  const a = body.attachments.find((x) => x.name === name);
  if (a === undefined) throw new Error(`no attachment ${name}: ${answer.text}`);
  return { hits: a.stats.hits, threads: (a.threads ?? []).map((t) => ({ thread: t.thread, hits: t.stats.hits })) };
}
