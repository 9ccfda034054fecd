// The `process` the core tests see when bundled for another runtime (run.mjs injects it for the
// free identifier `process`; the core itself never names it, test/core/purity.test.ts checks).
// It offers what the tests use: `env` (set from the run's configuration), and `on`/`off` for
// 'unhandledRejection', fed by the host's own signal (a browser's or Deno's `unhandledrejection`
// event, Bun's process events). Unhandled rejections and uncaught errors are also kept for the
// runner, which fails the test that was running, as node --test does.

type Listener = (reason: unknown, promise?: Promise<unknown>) => void;

const listeners = new Set<Listener>();
let stray: unknown;

function unsupported(event: string): Error {
  return new Error(`portable process: event "${event}" is not supported (test/portable/process.ts)`);
}

interface PortableProcess {
  env: Record<string, string | undefined>;
  on(event: string, listener: Listener): PortableProcess;
  off(event: string, listener: Listener): PortableProcess;
}

export const process: PortableProcess = {
  env: {},
  on(event: string, listener: Listener): PortableProcess {
    if (event !== 'unhandledRejection') throw unsupported(event);
    listeners.add(listener);
    return process;
  },
  off(event: string, listener: Listener): PortableProcess {
    if (event !== 'unhandledRejection') throw unsupported(event);
    listeners.delete(listener);
    return process;
  },
};

/** Sets the environment the tests read (HOOKWIRE_CODEGEN, …). */
export function setEnv(env: Record<string, string>): void {
  for (const key of Object.keys(process.env)) delete process.env[key];
  Object.assign(process.env, env);
}

/** The first unhandled rejection or uncaught error since the last call, if any. */
export function takeStray(): unknown {
  const error = stray;
  stray = undefined;
  return error;
}

function rejection(reason: unknown, promise?: Promise<unknown>): void {
  stray ??= reason instanceof Error ? reason : new Error(`unhandled rejection: ${String(reason)}`);
  for (const listener of listeners) listener(reason, promise);
}

function uncaught(error: unknown): void {
  stray ??= error instanceof Error ? error : new Error(`uncaught: ${String(error)}`);
}

/** Listens to the host's signals once. Bun reports through its process object, Deno and browsers through events. */
export function trackStrayErrors(): void {
  const g = globalThis as {
    Bun?: unknown;
    process?: { on(event: string, fn: (...a: never[]) => void): void };
    addEventListener?: (
      type: string,
      fn: (e: Event & { reason?: unknown; promise?: Promise<unknown>; error?: unknown; message?: string }) => void,
    ) => void;
  };
  if (g.Bun !== undefined && typeof g.process?.on === 'function') {
    g.process.on('unhandledRejection', (reason: unknown, promise: Promise<unknown>) => rejection(reason, promise));
    g.process.on('uncaughtException', (error: unknown) => uncaught(error));
  } else if (typeof g.addEventListener === 'function') {
    g.addEventListener('unhandledrejection', (e) => {
      e.preventDefault();
      rejection(e.reason, e.promise);
    });
    g.addEventListener('error', (e) => {
      e.preventDefault();
      uncaught(e.error ?? e.message);
    });
  } else {
    throw new Error('portable process: this host reports unhandled rejections in no way the shim knows');
  }
}
