/**
 * The module hooks of `hookwire/register`: a `load` hook that hands every module back exactly as
 * the next hook loaded it (the same result object), except an ES module whose URL a probe spec
 * names: that one gets the accessor lines of esm-transform.ts appended. Runs in the program's
 * thread through `module.registerHooks` (Node >= 22.15: `loadSync`), or on Node's hooks thread
 * through `module.register` (Node 20: `initialize` and `load`), where the named URLs arrive over
 * a MessagePort and every module passed untouched is reported back.
 */
import type * as WorkerThreads from 'node:worker_threads';
import type { EsmRegistry } from './esm-bindings.ts';
import { bindingSuffix, type ModuleLexer } from './esm-transform.ts';
import { builtin, liveBuiltin } from './host.ts';

/** A load hook's result, as far as this hook reads it. */
interface Loaded {
  format?: string | null | undefined;
  source?: string | ArrayBuffer | ArrayBufferView | null | undefined;
  shortCircuit?: boolean | undefined;
}

/** What travels between the registry and the hooks thread. */
export type HooksMessage = { readonly name: string } | { readonly unname: string } | { readonly passed: string };

/** The data `module.register` passes to `initialize` (Node 20). */
export interface HooksData {
  readonly port: WorkerThreads.MessagePort;
  readonly named: readonly string[];
}

let lexer: ModuleLexer | undefined;

/** es-module-lexer, loaded (and its WebAssembly compiled) the first time a named module is transformed. */
function moduleLexer(): ModuleLexer {
  if (lexer !== undefined) return lexer;
  const req = builtin('node:module')!.createRequire(import.meta.url);
  const lex = req('es-module-lexer') as ModuleLexer & { initSync(): void };
  lex.initSync();
  return (lexer = lex);
}

/**
 * The result of loading `url` with hookwire's binding accessors appended, or undefined when
 * hookwire leaves it alone (not an ES module, or a source the lexer cannot read:
 * then Node reports the module's own syntax error as it would without hookwire).
 */
function transformed(url: string, loaded: Loaded): Loaded | undefined {
  if (loaded.format !== 'module' && loaded.format !== 'module-typescript') return undefined;
  const raw = loaded.source;
  if (raw === null || raw === undefined) return undefined;
  const source = typeof raw === 'string' ? raw : new TextDecoder().decode(raw);
  let suffix: string;
  try {
    suffix = bindingSuffix(source, url, moduleLexer());
  } catch {
    return undefined;
  }
  return { ...loaded, source: source + suffix };
}

/** `node:fs` as the program sees it, and its readFileSync from before any program code ran (host.ts). */
const liveFs = liveBuiltin('node:fs') as { readFileSync: unknown } | undefined;
const originalReadFileSync = builtin('node:fs')?.readFileSync;

/**
 * The synchronous load hook (module.registerHooks, in the program's own thread). With in-thread
 * hooks Node reads module files through the public `fs.readFileSync`, which a program (or a probe
 * on `node:fs#readFileSync`) may have replaced; without hooks it never calls it. So the next
 * step runs with the original in place, and the program's function is put back right after:
 * loading a module calls nothing of the program's, as without hookwire.
 */
export function loadSync(url: string, context: unknown, nextLoad: (url: string, context?: unknown) => Loaded, registry: EsmRegistry): Loaded {
  const programs = liveFs?.readFileSync;
  const swap = liveFs !== undefined && originalReadFileSync !== undefined && programs !== originalReadFileSync;
  let loaded: Loaded;
  if (swap) {
    liveFs.readFileSync = originalReadFileSync;
    try {
      loaded = nextLoad(url, context);
    } finally {
      liveFs.readFileSync = programs;
    }
  } else loaded = nextLoad(url, context);
  if (registry.named.has(url)) {
    const changed = transformed(url, loaded);
    if (changed !== undefined) return changed;
  }
  if (loaded.format === 'module' || loaded.format === 'module-typescript') registry.passed(url);
  return loaded;
}

// Node 20: the hooks thread's side.
let port: WorkerThreads.MessagePort | undefined;
let receive: typeof WorkerThreads.receiveMessageOnPort | undefined;
const named = new Set<string>();

/** module.register's initialize: the port to the registry and the URLs named so far. */
export function initialize(data: HooksData): void {
  port = data.port;
  receive = builtin('node:worker_threads')?.receiveMessageOnPort;
  for (const url of data.named) named.add(url);
}

/** module.register's load hook (on the hooks thread). */
export async function load(url: string, context: unknown, nextLoad: (url: string, context?: unknown) => Promise<Loaded>): Promise<Loaded> {
  const loaded = await nextLoad(url, context);
  // The registry posts a name before the program imports the module: take everything posted so far.
  if (port !== undefined && receive !== undefined) {
    for (let m = receive(port); m !== undefined; m = receive(port)) {
      const msg = m.message as HooksMessage;
      if ('name' in msg) named.add(msg.name);
      else if ('unname' in msg) named.delete(msg.unname);
    }
  }
  if (named.has(url)) {
    const changed = transformed(url, loaded);
    if (changed !== undefined) return changed;
  }
  if (loaded.format === 'module' || loaded.format === 'module-typescript') port?.postMessage({ passed: url } satisfies HooksMessage);
  return loaded;
}
