import { HookError } from '../core/errors.ts';
import { ControlClient } from './client.ts';
import { InspectorSocket } from './inspector-socket.ts';
import { readProcess, type ProcessFacts } from './node-process.ts';
import { socketPath } from './runtime-dir.ts';
import { ownFile } from '../probe/own-files.ts';

// Built-ins through process.getBuiltinModule: an ES import builds each one's module facade at
// start. node:http and node:net load when an agent is brought in, not with every CLI command.
const { existsSync, readFileSync, rmSync } = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');
const { fileURLToPath } = process.getBuiltinModule('node:url');

/** Error codes of bringing an agent into a running program. */
export const AttachErrorCodes = {
  /** The process may not be attached to: another user's, not Node, forbidden by its environment, an inspector address hookwire will not open. */
  ERR_ATTACH_REFUSED: 'ERR_ATTACH_REFUSED',
  /** Something listens on the process's inspector port already: its inspector is open (a debugger may be attached) or another program holds the port. */
  ERR_INSPECTOR_BUSY: 'ERR_INSPECTOR_BUSY',
  /** The inspector did not open, or the bootstrap failed; the error says what state the process was left in. */
  ERR_ATTACH_FAILED: 'ERR_ATTACH_FAILED',
} as const;

/** How to bring an agent in. */
export interface BringOptions {
  /** The runtime directory the agent's socket goes to (the attaching user's). */
  dir: string;
  /** The guest agent leaves after this long without attachments, subscribers or requests (default 30 s). */
  idleMs?: number;
  /** Limit for each step: the inspector opening, the session, the bootstrap, the inspector closing (default 5 s). */
  timeoutMs?: number;
  /** Root may bring an agent into another user's process (`--allow-root`); `dir` must then be that user's. */
  allowRoot?: boolean;
}

/** What happened. */
export interface BroughtAgent {
  /** The agent's control socket. */
  path: string;
  /** Where the inspector listened. */
  inspector: { host: string; port: number };
  /** From SIGUSR1 until a connection to the inspector port was refused again. */
  inspectorOpenMs: number;
  /** From SIGUSR1 until the agent answered on its socket. */
  readyMs: number;
}

/**
 * Brings the hookwire agent into process `pid`, a Node program started without it: checks first
 * (same user, Node, not forbidden by `HOOKWIRE_NO_INSPECTOR` or `HOOKWIRE_CONTROL=off` in its
 * environment, inspector on loopback and its port free) and refuses with ERR_ATTACH_REFUSED or
 * ERR_INSPECTOR_BUSY, having sent nothing. Then SIGUSR1 opens the program's inspector, one session
 * checks the process id and has the program require hookwire's own bootstrap file (a fixed
 * expression: nothing the user typed), which starts loading the guest agent and closes the
 * inspector; this waits until the port refuses connections again (how long it was open is
 * `inspectorOpenMs`), then for the agent's socket to answer.
 */
export async function bringAgent(pid: number, options: BringOptions): Promise<BroughtAgent> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const facts = readProcess(pid);
  const inspector = checkAttachable(pid, facts, options.allowRoot === true);
  if (await listening(inspector.port, timeoutMs)) {
    throw new HookError(
      'ERR_INSPECTOR_BUSY',
      `something listens on 127.0.0.1:${inspector.port} already: the inspector of process ${pid} is open (a debugger may be attached)` +
        ' or another program holds the port; hookwire does not share it (start the program with --inspect-port=PORT for another port)',
    );
  }
  // A reason left by an earlier attempt would be read as this one's.
  rmSync(join(options.dir, `${pid}.attach-error`), { force: true });
  const openedAt = performance.now();
  process.kill(pid, 'SIGUSR1');
  const wsUrl = await debuggerUrl(inspector.port, timeoutMs).catch((error: unknown) => {
    throw new HookError(
      'ERR_ATTACH_FAILED',
      `the inspector of process ${pid} did not open on 127.0.0.1:${inspector.port} within ${timeoutMs} ms (${(error as Error).message}); ` +
        'the program may handle SIGUSR1 itself or run with --disable-sigusr1. It received SIGUSR1 and nothing else',
    );
  });
  let session: InspectorSocket | undefined;
  // Whose inspector answered: unknown until the pid check answers (a program whose main thread
  // is busy answers nothing until it is free).
  let whose: 'ours' | 'other' | 'unknown' = 'unknown';
  try {
    session = await InspectorSocket.open(wsUrl, timeoutMs);
    // Whoever opened this port, nothing more is sent unless it is the process we signalled.
    const who = await evaluate(session, 'process.pid', timeoutMs);
    whose = who === pid ? 'ours' : 'other';
    if (whose === 'other') throw new Error(`the inspector on port ${inspector.port} belongs to process ${String(who)}, not ${pid}: left alone`);
    const file = bootstrapFile();
    const settings = { dir: options.dir, idleMs: options.idleMs ?? 30_000 };
    const expression =
      `process.getBuiltinModule('node:module').createRequire(${JSON.stringify(file)})(${JSON.stringify(file)})` +
      `.start(${pid}, ${JSON.stringify(settings)})`;
    if ((await evaluate(session, expression, timeoutMs)) !== pid) throw new Error('the bootstrap did not start');
  } catch (error) {
    // The bootstrap closes the inspector whatever happens; if it never ran, ask for that alone.
    // A program whose main thread is busy runs the request when it is free, also after the
    // hang-up (Node 20, 22 and 24): the port it opened on our signal does not stay open for good.
    const wait = whose === 'ours' ? timeoutMs : Math.min(timeoutMs, BUSY_WAIT_MS);
    if (session !== undefined && whose !== 'other') await evaluate(session, closeInspector(pid), wait).catch(() => {});
    session?.close();
    const closed = whose === 'other' || (await refused(inspector.port, wait));
    const left =
      whose === 'ours'
        ? ` (its inspector still listens on 127.0.0.1:${inspector.port})`
        : ` (its inspector still listens on 127.0.0.1:${inspector.port}${session === undefined ? '' : ` until its main thread is free to close it, as asked`})`;
    throw new HookError(
      error instanceof HookError ? error.code : 'ERR_ATTACH_FAILED',
      `cannot bring the agent into process ${pid}: ${(error as Error).message}${closed ? '' : left}`,
      { cause: error },
    );
  }
  session.close();
  if (!(await refused(inspector.port, timeoutMs))) {
    throw new HookError('ERR_ATTACH_FAILED', `the agent is in process ${pid}, but its inspector still listens on 127.0.0.1:${inspector.port}`);
  }
  const inspectorOpenMs = performance.now() - openedAt;
  const path = await agentStarted(pid, options.dir, timeoutMs);
  return { path, inspector: { host: '127.0.0.1', port: inspector.port }, inspectorOpenMs, readyMs: performance.now() - openedAt };
}

/** Waits for the guest agent's socket to answer, or for the reason it could not start. */
async function agentStarted(pid: number, dir: string, timeoutMs: number): Promise<string> {
  const path = socketPath(pid, dir);
  const failure = join(dir, `${pid}.attach-error`);
  const end = performance.now() + timeoutMs;
  while (performance.now() < end) {
    if (existsSync(failure)) {
      const reason = readFileSync(failure, 'utf8');
      rmSync(failure, { force: true });
      throw new HookError('ERR_ATTACH_FAILED', `the agent could not start in process ${pid}: ${reason} (its inspector is closed again)`);
    }
    if (existsSync(path)) {
      try {
        await new ControlClient({ path }, { timeoutMs }).info();
        return path;
      } catch {
        // Still starting to listen.
      }
    }
    await sleep(5);
  }
  throw new HookError('ERR_ATTACH_FAILED', `the agent did not answer in process ${pid} within ${timeoutMs} ms (its inspector is closed again)`);
}

/**
 * Throws ERR_ATTACH_REFUSED unless process `pid` may be attached to; returns where its inspector
 * would open. Another user's process only by root, and only with `allowRoot` (`--allow-root`).
 */
export function checkAttachable(pid: number, facts: ProcessFacts | undefined, allowRoot = false): { port: number } {
  if (facts === undefined) throw new HookError('ERR_ATTACH_REFUSED', `there is no process ${pid}`);
  const me = process.getuid?.() ?? -1;
  if (facts.uid !== me && !(me === 0 && allowRoot)) {
    throw new HookError(
      'ERR_ATTACH_REFUSED',
      `process ${pid} belongs to uid ${facts.uid}, not to you (uid ${me}): hookwire attaches only to your own processes` +
        (me === 0 ? " (as root, to another user's only with --allow-root)" : ''),
    );
  }
  if (!facts.node) throw new HookError('ERR_ATTACH_REFUSED', `process ${pid} is not a Node program (${facts.argv[0] ?? 'unknown executable'})`);
  if (facts.agent.preloaded) {
    throw new HookError(
      'ERR_ATTACH_REFUSED',
      `process ${pid} runs the hookwire agent already, but its socket is not in this runtime directory` +
        (facts.agent.runtimeDir === undefined ? '' : ` (it uses HOOKWIRE_RUNTIME_DIR=${facts.agent.runtimeDir})`),
    );
  }
  if (facts.forbidden !== false) {
    throw new HookError(
      'ERR_ATTACH_REFUSED',
      facts.forbidden === null
        ? `cannot read the environment of process ${pid}`
        : `process ${pid} forbids attaching (${facts.forbidden} in its environment)`,
    );
  }
  const { host, port } = facts.inspector;
  if (host !== '127.0.0.1' && host !== 'localhost') {
    throw new HookError(
      'ERR_ATTACH_REFUSED',
      `process ${pid} would open its inspector on ${host}:${port}, reachable beyond this machine: refused (only 127.0.0.1)`,
    );
  }
  if (port === 0) throw new HookError('ERR_ATTACH_REFUSED', `process ${pid} would open its inspector on a random port (--inspect-port=0): refused`);
  return { port };
}

/**
 * The fixed expression sent when the bootstrap did not run: close the inspector once the session
 * hangs up. Only in process `pid`: it may be sent before the pid check answered.
 */
function closeInspector(pid: number): string {
  // After a poll phase, as attach-bootstrap.cts closes it (why there).
  return `process.pid === ${pid} && (setTimeout(() => setImmediate(() => process.getBuiltinModule('node:inspector').close()), 0), true)`;
}

/** How long a failed attach waits for a program that did not answer to close its inspector. */
const BUSY_WAIT_MS = 1_000;

/** The built bootstrap (dist/control/attach-bootstrap.cjs), also when this runs from src/. */
function bootstrapFile(): string {
  return fileURLToPath(ownFile('control/attach-bootstrap.cjs'));
}

async function evaluate(session: InspectorSocket, expression: string, timeoutMs: number): Promise<unknown> {
  const answer = (await session.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true, silent: true }, timeoutMs)) as {
    result?: { value?: unknown };
    exceptionDetails?: { text?: string; exception?: { description?: string } };
  };
  if (answer.exceptionDetails !== undefined) {
    const d = answer.exceptionDetails;
    throw new Error((d.exception?.description ?? d.text ?? 'the evaluation threw').split('\n')[0]);
  }
  return answer.result?.value;
}

/** Polls `GET /json/list` until the inspector answers; its first target's WebSocket URL. */
async function debuggerUrl(port: number, timeoutMs: number): Promise<string> {
  const end = performance.now() + timeoutMs;
  let last: Error = new Error('no answer');
  while (performance.now() < end) {
    try {
      const targets = JSON.parse(await fetchText(port, '/json/list')) as { webSocketDebuggerUrl?: unknown }[];
      const url = targets.find((t) => typeof t.webSocketDebuggerUrl === 'string')?.webSocketDebuggerUrl;
      if (typeof url === 'string') return url;
      last = new Error('the inspector lists no target');
    } catch (error) {
      last = error as Error;
    }
    await sleep(2);
  }
  throw last;
}

function fetchText(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = process.getBuiltinModule('node:http').get({ host: '127.0.0.1', port, path, agent: false, timeout: 1_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve(text));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

/** Whether something accepts connections on 127.0.0.1:`port`. */
function listening(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = process.getBuiltinModule('node:net').connect(port, '127.0.0.1');
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(true);
    }, timeoutMs);
    socket.on('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

/** Polls until a connection to 127.0.0.1:`port` is refused; false if it is still accepted after `timeoutMs`. */
async function refused(port: number, timeoutMs: number): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  while (performance.now() < end) {
    if (!(await listening(port, timeoutMs))) return true;
    await sleep(1);
  }
  return false;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
