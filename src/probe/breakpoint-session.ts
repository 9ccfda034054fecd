/**
 * The in-process inspector session of the breakpoint path (the analog of a kprobe's int3): one
 * `node:inspector` Session connected to this thread, opened when the first breakpoint site
 * appears and disconnected when the last one goes, so a program with no breakpoint probe has no
 * session and pays nothing. Commands on a same-thread session are answered synchronously, which
 * keeps `probeSpec` synchronous. Every breakpoint it sets carries a condition of hookwire's own
 * fixed text that calls the handler kept under `Symbol.for('hookwire.breakpoint')` and is false,
 * so the program never pauses. The session's breakpoints are its own: a debugger the user
 * attaches has separate ones and does not see these (and vice versa).
 */
import type * as Inspector from 'node:inspector';
import { HookError } from '../core/index.ts';
import { builtin, hostProcess } from './host.ts';

/** A script V8 parsed, as `Debugger.scriptParsed` reports it. */
export interface ParsedScript {
  readonly scriptId: string;
  readonly url: string;
  readonly sourceMapURL: string;
}

/** Where a breakpoint resolved. */
export interface BreakpointLocation {
  readonly scriptId: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}

/** The global slot the conditions call: `(siteId, this, arguments) => false`. */
export const HANDLER = Symbol.for('hookwire.breakpoint');
/** The global slot a hand-over condition passes a module binding's accessors to. */
export const HANDOVER = Symbol.for('hookwire.breakpoint.handover');
/** Where a function waits to be named by Runtime.evaluate (for its object id). */
const PASS = Symbol.for('hookwire.breakpoint.pass');

type Listener = (script: ParsedScript) => void;

let session: Inspector.Session | undefined;
let users = 0;
const scripts = new Map<string, ParsedScript>();
const listeners = new Set<Listener>();

/**
 * Opens the session (first user) or counts one more user. Throws ERR_PROBE_BREAKPOINT where
 * there is no inspector (a Node built without it) or it refuses a session.
 */
export function acquireSession(): void {
  if (session === undefined) {
    let opened: Inspector.Session;
    try {
      const inspector = builtin('node:module')!.createRequire(import.meta.url)('node:inspector') as typeof Inspector;
      opened = new inspector.Session();
      opened.connect();
    } catch (error) {
      throw new HookError('ERR_PROBE_BREAKPOINT', `the breakpoint path needs node:inspector in this process: ${(error as Error).message}`, {
        cause: error,
      });
    }
    session = opened;
    scripts.clear();
    opened.on('Debugger.scriptParsed', (message: { params: ParsedScript }) => {
      const { scriptId, url, sourceMapURL } = message.params;
      const script = { scriptId, url, sourceMapURL: sourceMapURL ?? '' };
      scripts.set(scriptId, script);
      for (const listener of listeners) {
        try {
          listener(script);
        } catch {
          // A site's own failure; the others still hear of the script.
        }
      }
    });
    try {
      post('Debugger.enable', {});
    } catch (error) {
      session = undefined;
      opened.disconnect();
      throw error;
    }
  }
  users++;
}

/** One user less; the last one disconnects the session (every breakpoint of it goes with it). */
export function releaseSession(): void {
  if (users === 0) return;
  users--;
  if (users > 0 || session === undefined) return;
  const s = session;
  session = undefined;
  scripts.clear();
  listeners.clear();
  try {
    s.post('Debugger.disable', () => {});
  } catch {
    // Disconnecting drops it anyway.
  }
  s.disconnect();
}

/** Whether the session is open (for tests and listings: "nothing left"). */
export function sessionOpen(): boolean {
  return session !== undefined;
}

/** Sends one command and returns its answer, synchronously. Throws ERR_PROBE_BREAKPOINT. */
export function post(method: string, params: Record<string, unknown>): Record<string, unknown> {
  const s = session;
  if (s === undefined) throw new HookError('ERR_PROBE_BREAKPOINT', `no inspector session for ${method}`);
  let answered = false;
  let failure: Error | null = null;
  let result: Record<string, unknown> = {};
  (s.post as (m: string, p: object, cb: (e: Error | null, r?: object) => void) => void)(method, params, (error, answer) => {
    answered = true;
    failure = error;
    result = (answer ?? {}) as Record<string, unknown>;
  });
  if (!answered) throw new HookError('ERR_PROBE_BREAKPOINT', `the inspector did not answer ${method} synchronously`);
  if (failure !== null) throw new HookError('ERR_PROBE_BREAKPOINT', `the inspector refused ${method}: ${(failure as Error).message}`);
  return result;
}

/** The scripts parsed so far (all of them since the session opened: V8 reports the earlier ones on enable). */
export function parsedScripts(): Iterable<ParsedScript> {
  return scripts.values();
}

/** Calls `listener` for every script parsed from now on (before its code runs); returns the function that stops it. */
export function onScriptParsed(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Sets a breakpoint before every call of `fn`; returns its id. */
export function breakOnCall(fn: Function, condition: string): string {
  const g = globalThis as Record<symbol, unknown>;
  g[PASS] = fn;
  let objectId: string;
  try {
    const answer = post('Runtime.evaluate', { expression: "globalThis[Symbol.for('hookwire.breakpoint.pass')]", silent: true });
    const id = (answer['result'] as { objectId?: unknown } | undefined)?.objectId;
    objectId = typeof id === 'string' ? id : '';
  } finally {
    delete g[PASS];
  }
  if (objectId === '') throw new HookError('ERR_PROBE_BREAKPOINT', 'the inspector gave no object id for the function');
  try {
    return String(post('Debugger.setBreakpointOnFunctionCall', { objectId, condition })['breakpointId']);
  } finally {
    post('Runtime.releaseObject', { objectId });
  }
}

/** Sets a breakpoint at a 0-based line and column of a parsed script; where it resolved, or undefined if nowhere. */
export function breakAt(
  scriptId: string,
  lineNumber: number,
  columnNumber: number | undefined,
  condition: string,
): { id: string; at: BreakpointLocation } {
  const location = columnNumber === undefined ? { scriptId, lineNumber } : { scriptId, lineNumber, columnNumber };
  const answer = post('Debugger.setBreakpoint', { location, condition });
  return { id: String(answer['breakpointId']), at: answer['actualLocation'] as BreakpointLocation };
}

/** Removes a breakpoint (nothing if the session is gone already). */
export function removeBreakpoint(id: string): void {
  if (session === undefined) return;
  post('Debugger.removeBreakpoint', { breakpointId: id });
}

/**
 * Whether V8 has parsed a script with this URL (an ES module the program loaded), asked through
 * a session opened for the question and closed again unless breakpoint sites hold it.
 * False where there is no inspector.
 */
export function scriptLoaded(url: string): boolean {
  try {
    acquireSession();
  } catch {
    return false;
  }
  try {
    for (const script of scripts.values()) if (script.url === url) return true;
    return false;
  } finally {
    // A breakpoint site usually follows at once: it finds the session open (enabling it again costs).
    queueMicrotask(releaseSession);
  }
}

/** How hookwire's own preloads appear in Node's options. */
const OWN_PRELOAD = /hookwire\/(?:register|agent)|\/probe\/register\.[jt]s$|\/control\/agent\.[jt]s$/u;
const PRELOAD = /^(?:--import|--require|-r|--loader|--experimental-loader)(?:=|$)/u;

/**
 * Whether a preload of the program's own (`--import`, `--require`, `--loader`, in NODE_OPTIONS or
 * on the command line) came before hookwire's: only then can an ES module have loaded before the
 * module hooks were there to see it, and only then is the inspector asked (scriptLoaded).
 */
export function preloadedBeforeHooks(): boolean {
  const proc = hostProcess() as { execArgv?: unknown; env?: Record<string, string | undefined> } | undefined;
  const fromEnv = (proc?.env?.['NODE_OPTIONS'] ?? '').split(/\s+/u).filter(Boolean);
  const argv = Array.isArray(proc?.execArgv) ? (proc.execArgv as unknown[]).filter((a): a is string => typeof a === 'string') : [];
  const options = [...fromEnv, ...argv];
  for (let i = 0; i < options.length; i++) {
    const option = options[i]!;
    if (!PRELOAD.test(option)) continue;
    const value = option.includes('=') ? option.slice(option.indexOf('=') + 1) : (options[i + 1] ?? '');
    if (OWN_PRELOAD.test(value)) return false;
    return true;
  }
  return false;
}
