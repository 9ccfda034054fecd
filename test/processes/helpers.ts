// Helpers of the process tests: programs that fork, run under `hookwire run`.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cli, root, spawnNode } from '../control/helpers.ts';

export const fixtures = join(root, 'test/processes/fixtures');
/** The probe spec of the function every process of the test programs calls. */
export const WORK = './test/threads/fixtures/lib.cjs#work';
export const SITE = `probe:${WORK}`;

/** One process's part of a site in `hookwire run --json`. */
export interface ProcessPart {
  pid: number;
  first?: boolean;
  kind: string;
  hits: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

/** What `hookwire run --json` prints, as far as these tests read it. */
export interface RunJson {
  exitCode: number | null;
  sites: { site: string; kind: string; hits: number; p50Ms: number | null; p99Ms: number | null; processes?: ProcessPart[] }[];
  agents: { pid: number; ppid: number; run: string; first: boolean; signal?: string; distributions: Record<string, unknown[]> }[];
  missing: { pid: number; ppid: number; running: boolean }[];
}

/** Runs `program` under `hookwire run --json ARGS`, and returns the summary with the program's stdout. */
export async function runJson(
  program: string,
  runArgs: string[],
  env: Record<string, string> = {},
): Promise<{ json: RunJson; stdout: string; stderr: string }> {
  const child = spawnNode([cli, 'run', '--json', ...runArgs, '--', join(fixtures, program)], env, 60_000);
  child.proc.stdin!.end();
  const code = await child.exited;
  assert.equal(code, 0, child.stderr());
  const lines = child.stdout().trim().split('\n');
  return { json: JSON.parse(lines[lines.length - 1]!) as RunJson, stdout: child.stdout(), stderr: child.stderr() };
}

/** The number the program printed as `expected N`. */
export function expectedOf(stdout: string): number {
  const n = Number(/expected (\d+)/u.exec(stdout)?.[1]);
  assert.ok(Number.isInteger(n), `no "expected N" in: ${stdout}`);
  return n;
}
