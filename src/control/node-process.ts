// Built-ins through process.getBuiltinModule: an ES import builds each one's module facade at start.
const { readdirSync, readFileSync, readlinkSync, realpathSync } = process.getBuiltinModule('node:fs');
const { basename, join } = process.getBuiltinModule('node:path');

/**
 * What `/proc` says about a process (Linux): who owns it, whether it is Node, its command line,
 * whether its operator forbade attaching, and where its inspector would listen. Read before
 * anything is sent to it, so that a refusal leaves it exactly as it was.
 */
export interface ProcessFacts {
  pid: number;
  /** Its real user id. */
  uid: number;
  /** Its command line. */
  argv: string[];
  /** Whether its executable is Node (`node`, `nodejs`, `node22`, or this very executable). */
  node: boolean;
  /**
   * Why its environment forbids bringing an agent in, if it does: `HOOKWIRE_NO_INSPECTOR=1`, or
   * `HOOKWIRE_CONTROL=off` (a program started with hookwire's control switched off). `null`
   * when the environment cannot be read (another user's process).
   */
  forbidden: string | false | null;
  /** Where SIGUSR1 opens its inspector (`--inspect-port` and friends on its command line or in NODE_OPTIONS). */
  inspector: { host: string; port: number; openAtStart: boolean };
  /**
   * Whether it was started with hookwire's agent preloaded (`hookwire run`, `--import
   * hookwire/agent`), and the runtime directory its environment names (undefined: the default).
   */
  agent: { preloaded: boolean; runtimeDir: string | undefined };
  /**
   * The runtime directory its own user's hookwire would use, from its environment (as
   * `runtime-dir.ts` reads one): where an agent brought into another user's process by root
   * (`--allow-root`) puts its socket.
   */
  userRuntimeDir: string;
}

/** The facts of process `pid`, or undefined when there is no such process, it has exited (a zombie), or there is no `/proc`. */
export function readProcess(pid: number): ProcessFacts | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  // A zombie has exited (its parent has not collected it yet): it runs nothing, and has no
  // executable or command line left to read, which made it "not a Node program".
  if (/^State:\s+Z/mu.test(status)) return undefined;
  const argv = nulSeparated(`/proc/${pid}/cmdline`) ?? [];
  return factsOf(pid, uidOf(status), argv, isNodeExecutable(pid, argv));
}

/** The facts of a process whose owner, command line and kind are already read: its environment gives the rest. */
function factsOf(pid: number, uid: number, argv: string[], node: boolean): ProcessFacts {
  const environ = nulSeparated(`/proc/${pid}/environ`);
  const env = new Map<string, string>();
  for (const entry of environ ?? []) {
    const eq = entry.indexOf('=');
    if (eq > 0) env.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  let forbidden: ProcessFacts['forbidden'] = null;
  if (environ !== undefined) {
    const no = env.get('HOOKWIRE_NO_INSPECTOR');
    if (no !== undefined && no !== '' && no !== '0') forbidden = `HOOKWIRE_NO_INSPECTOR=${no}`;
    else if (env.get('HOOKWIRE_CONTROL')?.trim() === 'off') forbidden = 'HOOKWIRE_CONTROL=off';
    else forbidden = false;
  }
  const options = [...(env.get('NODE_OPTIONS') ?? '').split(/\s+/u).filter(Boolean), ...nodeOptions(argv)];
  return {
    pid,
    uid,
    argv,
    node,
    forbidden,
    inspector: inspectorAddress(options),
    agent: { preloaded: options.some((o) => AGENT.test(o)), runtimeDir: env.get('HOOKWIRE_RUNTIME_DIR') || undefined },
    userRuntimeDir:
      env.get('HOOKWIRE_RUNTIME_DIR') ||
      (env.get('XDG_RUNTIME_DIR') ? join(env.get('XDG_RUNTIME_DIR')!, 'hookwire') : join(env.get('TMPDIR') || '/tmp', `hookwire-${uid}`)),
  };
}

/** The Node processes of user `uid` (default: this one), except this process, by pid. */
export function nodeProcesses(uid: number = process.getuid?.() ?? -1): ProcessFacts[] {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  const out: ProcessFacts[] = [];
  for (const name of names) {
    if (!/^\d+$/u.test(name) || Number(name) === process.pid) continue;
    // Owner and executable first: the environment only for the user's Node processes.
    const pid = Number(name);
    let status: string;
    try {
      status = readFileSync(`/proc/${pid}/status`, 'utf8');
    } catch {
      continue;
    }
    if (uidOf(status) !== uid) continue;
    const argv = nulSeparated(`/proc/${pid}/cmdline`) ?? [];
    if (isNodeExecutable(pid, argv)) out.push(factsOf(pid, uid, argv, true));
  }
  return out.sort((a, b) => a.pid - b.pid);
}

/** The real user id on a `/proc/PID/status` text's `Uid:` line (-1 without one). */
function uidOf(status: string): number {
  return Number(/^Uid:\s+(\d+)/mu.exec(status)?.[1] ?? -1);
}

/**
 * The inspector address Node would use on SIGUSR1, from its options in order (later wins):
 * `--inspect-port=[host:]port`, `--inspect[=[host:]port]`, `--inspect-brk`, `--inspect-wait`.
 * Default 127.0.0.1:9229. `openAtStart` says an `--inspect*` option opened it when Node started.
 */
export function inspectorAddress(options: readonly string[]): ProcessFacts['inspector'] {
  let host = '127.0.0.1';
  let port = 9229;
  let openAtStart = false;
  for (let i = 0; i < options.length; i++) {
    const option = options[i] ?? '';
    const m = /^--(inspect-port|debug-port|inspect|inspect-brk|inspect-wait)(?:=(.*))?$/u.exec(option);
    if (m === null) continue;
    let value = m[2];
    if ((m[1] === 'inspect-port' || m[1] === 'debug-port') && value === undefined) value = options[++i];
    if (m[1] !== 'inspect-port' && m[1] !== 'debug-port') openAtStart = true;
    if (value === undefined || value === '') continue;
    const colon = value.lastIndexOf(':');
    const portText = colon === -1 ? value : value.slice(colon + 1);
    if (colon !== -1) host = value.slice(0, colon).replace(/^\[|\]$/gu, '');
    if (/^\d+$/u.test(portText)) port = Number(portText);
    else if (colon === -1) host = value;
  }
  return { host, port, openAtStart };
}

/** Node's own options on a command line: those before the script (or -e), with their values. */
function nodeOptions(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--' || !arg.startsWith('-')) break;
    out.push(arg);
    if (!arg.includes('=') && VALUE_OPTIONS.has(arg)) out.push(argv[++i] ?? '');
    if (arg === '-e' || arg === '--eval' || arg === '-p' || arg === '--print') break;
  }
  return out;
}

/** How hookwire's agent appears in `--import` options: the package subpath or the built file. */
const AGENT = /hookwire\/agent|\/control\/agent\.js$/u;

/** Node options that take the next argument as their value. */
const VALUE_OPTIONS = new Set([
  '-r',
  '--require',
  '--import',
  '--loader',
  '--experimental-loader',
  '--inspect-port',
  '--debug-port',
  '--conditions',
  '-C',
  '--env-file',
  '--input-type',
  '--title',
  '--stack-size',
  '--max-old-space-size',
]);

function isNodeExecutable(pid: number, argv: readonly string[]): boolean {
  let exe: string;
  try {
    exe = readlinkSync(`/proc/${pid}/exe`);
  } catch {
    // Unreadable (another user's process): judge by its command line.
    exe = argv[0] ?? '';
  }
  const name = basename(exe.replace(/ \(deleted\)$/u, ''));
  if (/^node(js)?(\d+(\.\d+)*)?$/u.test(name)) return true;
  try {
    return realpathSync.native(exe) === ownExecutable();
  } catch {
    return false;
  }
}

let ownRealPath: string | undefined;
/** This process's executable with its links resolved, read once (a scan compares every process with it). */
function ownExecutable(): string {
  return (ownRealPath ??= realpathSync.native(process.execPath));
}

function nulSeparated(path: string): string[] | undefined {
  try {
    const text = readFileSync(path, 'utf8');
    return text.split('\0').filter((s, i, all) => s !== '' || i < all.length - 1);
  } catch {
    return undefined;
  }
}
