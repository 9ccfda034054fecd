/**
 * Installs the ES module hooks (esm-hooks.ts) in this thread: at once for `hookwire/register`
 * (register.ts), or on demand for the agent, when a probe spec first names an ES module (issue 8:
 * on Node 20 the hooks thread costs ~60 ms of start-up and slows every ES import; on Node 24 the
 * in-thread hooks run for every module loaded, CommonJS too). Node >= 22.15 runs the hooks in this
 * thread (`module.registerHooks`); Node 20 on its hooks thread (`module.register`), told the named
 * URLs over a MessagePort. Hooks installed after the program started cannot have seen the ES
 * modules it loaded before: {@link esmHooksCameLate} tells the loader to ask about those.
 * The state lives on the global object, like REGISTERED, so every copy of hookwire in a thread agrees;
 * the agent's two switches are in esm-demand.ts, which loads none of the hooks' code.
 */
import { esmRegistry, REGISTERED, type EsmRegistry } from './esm-bindings.ts';
import { loadSync, type HooksData, type HooksMessage } from './esm-hooks.ts';
import { ON_DEMAND, STARTED } from './esm-demand.ts';
import { builtin } from './host.ts';
import { ownFile } from './own-files.ts';

type RegisterHooks = (hooks: { load: (url: string, context: unknown, nextLoad: (url: string, context?: unknown) => never) => unknown }) => unknown;

/** Set when the hooks were installed after the program started. */
const LATE = Symbol.for('hookwire.register.late');

const flags = globalThis as Record<symbol, unknown>;

/** Installs the module hooks in this thread, once. */
export function installEsmHooks(): void {
  if (flags[REGISTERED] === true) return;
  // Built-ins from host.ts, not `import`: an ES import of node:worker_threads builds its module
  // facade, which reads every export (~25 ms of start-up on Node 20).
  const nodeModule = builtin('node:module')!;
  const registry = esmRegistry();
  const registerHooks = (nodeModule as { registerHooks?: RegisterHooks }).registerHooks;
  if (typeof registerHooks === 'function') registerHooks({ load: (url, context, nextLoad) => loadSync(url, context, nextLoad, registry) });
  else registerOffThread(registry, nodeModule);
  flags[REGISTERED] = true;
}

/**
 * The hooks, for a spec that names an ES module: installs them now if the agent asked for that.
 * Returns whether they are installed.
 */
export function ensureEsmHooks(): boolean {
  if (flags[REGISTERED] === true) return true;
  if (flags[ON_DEMAND] !== true) return false;
  installEsmHooks();
  if (flags[STARTED] === true) flags[LATE] = true;
  return flags[REGISTERED] === true;
}

/** Whether the hooks were installed after the program started: ES modules may have loaded unseen. */
export function esmHooksCameLate(): boolean {
  return flags[LATE] === true;
}

/** Node < 22.15: the hooks run on Node's hooks thread; names go there, passed URLs come back. */
function registerOffThread(registry: EsmRegistry, nodeModule: NonNullable<ReturnType<typeof builtin<'node:module'>>>): void {
  const { MessageChannel, receiveMessageOnPort } = builtin('node:worker_threads')!;
  const { port1, port2 } = new MessageChannel();
  const take = (msg: HooksMessage): void => {
    if ('passed' in msg) registry.passed(msg.passed);
  };
  port1.on('message', take);
  port1.unref(); // the program's event loop is its own
  registry.connect({
    name: (url) => port1.postMessage({ name: url } satisfies HooksMessage),
    unname: (url) => port1.postMessage({ unname: url } satisfies HooksMessage),
    drain: () => {
      for (let m = receiveMessageOnPort(port1); m !== undefined; m = receiveMessageOnPort(port1)) take(m.message as HooksMessage);
    },
  });
  // From src/ (under a TypeScript loader) the hooks' source; else the built entry point.
  const hooks = import.meta.url.endsWith('.ts') ? new URL('./esm-hooks.ts', import.meta.url) : ownFile('probe/esm-hooks.js');
  const data: HooksData = { port: port2, named: [...registry.named.keys()] };
  nodeModule.register(hooks, { parentURL: import.meta.url, data, transferList: [port2] });
}
