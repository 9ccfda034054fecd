import { HookError } from '../core/errors.ts';
import { builtin } from '../probe/host.ts';

// The built-ins' original functions (probe/host.ts), so the agent's directory work never shows up
// in the program's probes. process.getBuiltinModule, not `import`: an ES import builds the module's
// facade, reading every export (start-up time).
const { lstatSync, mkdirSync } = builtin('node:fs') ?? process.getBuiltinModule('node:fs');
const { tmpdir } = builtin('node:os') ?? process.getBuiltinModule('node:os');
const { join } = builtin('node:path') ?? process.getBuiltinModule('node:path');

/**
 * The per-user directory where agents put their sockets: `$HOOKWIRE_RUNTIME_DIR` if set, else
 * `$XDG_RUNTIME_DIR/hookwire`, else `<tmpdir>/hookwire-<uid>`. Nothing is created here.
 */
export function runtimeDir(env: NodeJS.ProcessEnv = process.env): string {
  const own = env['HOOKWIRE_RUNTIME_DIR'];
  if (own) return own;
  const xdg = env['XDG_RUNTIME_DIR'];
  if (xdg) return join(xdg, 'hookwire');
  return join(tmpdir(), `hookwire-${uid()}`);
}

/**
 * Makes sure `dir` exists as a private directory (mode 0700, owned by this user) and returns it.
 * An existing directory that is a symbolic link, belongs to someone else, or lets the group or
 * others in is refused with ERR_INSECURE_DIR: a socket there could be swapped or reached by others.
 */
export function ensureRuntimeDir(dir: string = runtimeDir()): string {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    // Something else by that name: checkRuntimeDir says what.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new HookError('ERR_INSECURE_DIR', `cannot create the runtime directory ${dir}: ${(error as Error).message}`);
    }
  }
  checkRuntimeDir(dir);
  return dir;
}

/** Throws ERR_INSECURE_DIR unless `dir` is a real directory, owned by this user, mode 0700 or stricter. */
export function checkRuntimeDir(dir: string): void {
  let stat;
  try {
    stat = lstatSync(dir);
  } catch (error) {
    throw new HookError('ERR_INSECURE_DIR', `cannot inspect the runtime directory ${dir}: ${(error as Error).message}`);
  }
  if (!stat.isDirectory()) {
    throw new HookError('ERR_INSECURE_DIR', `the runtime directory ${dir} is not a directory (or is a symbolic link)`);
  }
  const me = uid();
  if (me !== -1 && stat.uid !== me) {
    throw new HookError('ERR_INSECURE_DIR', `the runtime directory ${dir} belongs to uid ${stat.uid}, not to this user (${me})`);
  }
  if ((stat.mode & 0o077) !== 0) {
    throw new HookError(
      'ERR_INSECURE_DIR',
      `the runtime directory ${dir} has mode ${(stat.mode & 0o777).toString(8)}: group and others must have no access (chmod 700)`,
    );
  }
}

/** The socket path of the agent in process `pid`. */
export function socketPath(pid: number, dir: string = runtimeDir()): string {
  return join(dir, `${pid}.sock`);
}

/** The file where an agent listening on TCP leaves its port and token (mode 0600). */
export function tcpInfoPath(pid: number, dir: string = runtimeDir()): string {
  return join(dir, `${pid}.tcp.json`);
}

function uid(): number {
  return typeof process.getuid === 'function' ? process.getuid() : -1;
}
