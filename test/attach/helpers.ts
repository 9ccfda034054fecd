// Shared by the attach tests: a plain `node app.cjs` (no hookwire) with its inspector port chosen
// by the test, HTTP GET on loopback, and whether a TCP port accepts connections.
import { spawn } from 'node:child_process';
import { get } from 'node:http';
import { connect, createServer } from 'node:net';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { root, until, type Child } from '../control/helpers.ts';

export const APP = join(root, 'test/attach/fixtures/app.cjs');
export const QUERY = './test/attach/fixtures/lib/db.cjs#query';
/** The same server made of ES modules (`lib/prices.mjs#price`). */
export const ESM_APP = join(root, 'test/attach/fixtures/esm-app.mjs');

/** A free TCP port on 127.0.0.1 (free when this returns). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
    server.on('error', reject);
  });
}

/**
 * `node NODE_ARGS APP` started without hookwire: no NODE_OPTIONS (the test runner's loaders must
 * not reach the program), its output collected, killed after 60 s at the latest.
 */
export function spawnPlain(nodeArgs: string[], app: string, env: Record<string, string> = {}, ids: { uid?: number; gid?: number } = {}): Child {
  const proc = spawn(process.execPath, [...nodeArgs, app], {
    cwd: root,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
    ...ids,
  });
  let out = '';
  let err = '';
  proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const timer = setTimeout(() => proc.kill('SIGKILL'), 60_000);
  const exited = new Promise<number | string>((resolve) => {
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? signal ?? -1);
    });
  });
  return { proc, stdout: () => out, stderr: () => err, exited };
}

/** The plain app (or `options.app`), started without hookwire, and its HTTP port. */
export async function startPlainApp(
  nodeArgs: string[],
  env: Record<string, string> = {},
  options: { uid?: number; gid?: number; app?: string } = {},
): Promise<Child & { port: number; stop(): Promise<number | string> }> {
  const { app = APP, ...ids } = options;
  const child = spawnPlain(nodeArgs, app, env, ids);
  const port = Number(await until(() => /listening (\d+)/u.exec(child.stdout())?.[1], `the app to listen (stderr: ${child.stderr()})`));
  return {
    ...child,
    port,
    stop: () => {
      child.proc.stdin!.end();
      return child.exited;
    },
  };
}

/** GET http://127.0.0.1:port/path: status and body. */
export function httpGet(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(`${res.statusCode} ${body}`));
    }).on('error', reject);
  });
}

/** Whether 127.0.0.1:port accepts a connection (false: refused). */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/** Whether another user can run this Node binary: every directory above it and the file itself are o+x. */
export function runnableByOthers(file: string): boolean {
  for (let path = file; ; path = dirname(path)) {
    if ((statSync(path).mode & 0o001) === 0) return false;
    if (dirname(path) === path) return true;
  }
}

/**
 * Why a test cannot start a program as another user (uid 65534) here, or false when it can: it
 * needs root, a Node binary others can run, and a checkout they can reach (the app and the agent
 * are read from it).
 */
export function cannotRunAsOther(): string | false {
  if (process.getuid?.() !== 0) return 'needs root to start a process as another user';
  if (!runnableByOthers(process.execPath)) return `another user cannot run ${process.execPath} (a Node line from a private cache)`;
  if (!runnableByOthers(root)) return `another user cannot reach ${root} (a private checkout)`;
  return false;
}
