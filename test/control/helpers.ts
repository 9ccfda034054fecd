// Shared by the control and CLI tests: temporary runtime directories, raw HTTP over a Unix
// socket, and the example service run under `hookwire run` as a child process (built dist/).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const cli = join(root, 'dist/cli/main.js');
export const example = join(root, 'examples/service/main.mjs');

/** A private temporary directory (short path: Unix socket paths are limited to ~100 bytes). */
export function tempDir(prefix = 'hw-'): { path: string; [Symbol.dispose](): void } {
  const path = mkdtempSync(join('/tmp', prefix));
  return { path, [Symbol.dispose]: () => rmSync(path, { recursive: true, force: true }) };
}

/** A JSON answer: status, headers and parsed body. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  text: string;
}

/** One HTTP request to an agent's Unix socket (or TCP port); the body is sent as given. */
export function call(
  where: { socketPath: string } | { port: number },
  method: string,
  path: string,
  body?: string | object,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const target = 'socketPath' in where ? { socketPath: where.socketPath } : { host: '127.0.0.1', port: where.port };
    const req = request({ ...target, method, path, agent: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed, text });
      });
    });
    req.setTimeout(10_000, () => req.destroy(new Error('test request timed out')));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Writes raw bytes to a socket and resolves to everything the server sent until it closed (or `waitMs`). */
export function raw(socketPath: string, bytes: string, waitMs = 5000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('utf8'));
    }, waitMs);
    socket.on('data', (c) => chunks.push(c));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    socket.on('error', () => {});
    socket.write(bytes);
  });
}

/** A child process and what it printed. */
export interface Child {
  proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves to the exit code (or the signal name) when it ends. */
  exited: Promise<number | string>;
}

/** A runtime directory of this test process, so that no test touches the user's own. */
const ownRuntime = mkdtempSync(join('/tmp', 'hw-rt-'));
process.on('exit', () => rmSync(ownRuntime, { recursive: true, force: true }));

/**
 * An error line of the CLI without its code: every one ends with ` (ERR_…)` (asserted here), and
 * the tests match the reason before it.
 */
export function reasonOf(line: string): string {
  const m = / \((ERR_[A-Z_]+)\)$/u.exec(line);
  assert.ok(m !== null, `no error code at the end of: ${line}`);
  return line.slice(0, m.index);
}

/** Spawns `node args...` with `env` added, collecting its output; killed after `timeoutMs`. */
export function spawnNode(args: string[], env: Record<string, string | undefined> = {}, timeoutMs = 30_000): Child {
  const proc = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, HOOKWIRE_RUNTIME_DIR: ownRuntime, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
  const exited = new Promise<number | string>((resolve) => {
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? signal ?? -1);
    });
  });
  return { proc, stdout: () => out, stderr: () => err, exited };
}

/** Runs the CLI to completion: `{ code, stdout, stderr }`. */
export async function runCli(args: string[], env: Record<string, string | undefined> = {}, timeoutMs = 30_000) {
  const child = spawnNode([cli, ...args], env, timeoutMs);
  child.proc.stdin!.end();
  const code = await child.exited;
  return { code, stdout: child.stdout(), stderr: child.stderr() };
}

/** Waits until `check` returns a truthy value (polling), or fails after `timeoutMs`. */
export async function until<T>(check: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The example service serving under `hookwire run` (or plain node), with its pid, port and socket. */
export interface Service extends Child {
  port: number;
  /** The pid of the traced program (the agent's process). */
  pid: number;
  socketPath: string;
  /** Closes its stdin (the service then stops) and waits for the end. */
  stop(): Promise<number | string>;
}

/**
 * Starts the example with `--serve` under `hookwire run` with `runArgs`, in runtime directory
 * `dir`, and waits for its port and its agent socket.
 */
export async function startService(dir: string, runArgs: string[] = [], env: Record<string, string> = {}): Promise<Service> {
  const child = spawnNode([cli, 'run', ...runArgs, '--', example, '--serve', '--max-seconds', '40'], { HOOKWIRE_RUNTIME_DIR: dir, ...env }, 45_000);
  const port = Number(
    await until(() => /listening http:\/\/127\.0\.0\.1:(\d+)/u.exec(child.stdout())?.[1], `the service to listen (stderr: ${child.stderr()})`, 15_000),
  );
  const sock = await until(() => readdirSync(dir).find((f) => f.endsWith('.sock')), 'the agent socket');
  const pid = Number(sock.replace('.sock', ''));
  return {
    ...child,
    port,
    pid,
    socketPath: join(dir, sock),
    stop: () => {
      child.proc.stdin!.end();
      return child.exited;
    },
  };
}
