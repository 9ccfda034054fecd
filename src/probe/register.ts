/**
 * `node --import hookwire/register app.js`: installs the module hooks that make ES module exports
 * probe-able by spec (`probeSpec('./lib/db.mjs#query')`), including modules loaded after the probe
 * was set. Only a module whose URL a spec names is touched (esm-hooks.ts): every other module
 * loads exactly as without hookwire. Node >= 22.15 runs the hooks in this thread
 * (`module.registerHooks`); Node 20 on its hooks thread (`module.register`), told the named URLs
 * over a MessagePort. CommonJS needs no loader: the probe layer watches `require()` per spec
 * (require-watch.ts), and builtins are probed through their CommonJS object.
 */
import { esmRegistry, REGISTERED, type EsmRegistry } from './esm-bindings.ts';
import { loadSync, type HooksData, type HooksMessage } from './esm-hooks.ts';
import { builtin } from './host.ts';

// Built-ins from host.ts, not `import`: an ES import of node:worker_threads builds its module
// facade, which reads every export (~25 ms of start-up on Node 20; issue 8).
const nodeModule = builtin('node:module')!;
const { MessageChannel, receiveMessageOnPort } = builtin('node:worker_threads')!;

type RegisterHooks = (hooks: { load: (url: string, context: unknown, nextLoad: (url: string, context?: unknown) => never) => unknown }) => unknown;

const flags = globalThis as Record<symbol, unknown>;
if (flags[REGISTERED] !== true) {
  const registry = esmRegistry();
  const registerHooks = (nodeModule as { registerHooks?: RegisterHooks }).registerHooks;
  if (typeof registerHooks === 'function') registerHooks({ load: (url, context, nextLoad) => loadSync(url, context, nextLoad, registry) });
  else registerOffThread(registry);
  flags[REGISTERED] = true;
}

/** Node < 22.15: the hooks run on Node's hooks thread; names go there, passed URLs come back. */
function registerOffThread(registry: EsmRegistry): void {
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
  const hooks = new URL(import.meta.url.endsWith('.ts') ? './esm-hooks.ts' : './esm-hooks.js', import.meta.url);
  const data: HooksData = { port: port2, named: [...registry.named.keys()] };
  nodeModule.register(hooks, { parentURL: import.meta.url, data, transferList: [port2] });
}
