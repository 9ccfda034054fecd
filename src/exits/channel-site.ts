/**
 * Channels as sites: `dc:<channel>` names a diagnostics_channel and `tracing:<name>` a
 * TracingChannel, wherever a hook name is accepted. A channel site is a hook in the registry (so
 * `ls`, arm and disarm see it like any other) whose exits are catalogue observers; the channel is
 * subscribed only while one of them is armed, so a disarmed site costs the publisher nothing, as
 * channels promise. A `dc:` message is a fire (the observer's hook exit gets `message, name`); a
 * `tracing:` start…end (or …asyncEnd) is a call with a duration, so `latency` and `trace` time it.
 */
import { HookError, registry as defaultRegistry, type Order, type Registry } from '../core/index.ts';
import { declare, describe, RegistryImpl, runTransaction, validateExitName, type ExitImpl, type HookImpl } from '../core/internal.ts';
import { guard, now } from '../probe/engine.ts';
import type * as DiagnosticsChannel from 'node:diagnostics_channel';
import type { Probe, ProbeStats } from '../probe/index.ts';
import type { Observer, ProbeCallContext, ProbeHandlers } from './observer.ts';
import { builtin } from '../probe/host.ts';

/** What a channel site name says: its kind and the channel's own name. */
export interface ChannelName {
  readonly kind: 'dc' | 'tracing';
  readonly channel: string;
}

/**
 * The one rule for channel site names: `dc:<channel>` or `tracing:<name>` with a non-empty name
 * (no whitespace or control characters, at most 256 characters in all). Returns undefined for a
 * name with neither prefix; throws ERR_INVALID_ARG for a prefix with a bad name.
 */
export function parseChannelName(name: string): ChannelName | undefined {
  const kind = name.startsWith('dc:') ? 'dc' : name.startsWith('tracing:') ? 'tracing' : undefined;
  if (kind === undefined) return undefined;
  const channel = name.slice(kind.length + 1);
  if (channel === '' || name.length > 256 || /[\s\p{Cc}]/u.test(channel)) {
    throw new HookError(
      'ERR_INVALID_ARG',
      `${kind}: needs a channel name with no spaces (at most 256 characters in all), like ${kind === 'dc' ? 'dc:http.client.request.start' : 'tracing:my-lib:query'}, got ${describe(name)}`,
    );
  }
  return { kind, channel };
}

/** Whether `name` starts like a channel site (`dc:` or `tracing:`), well-formed or not. */
export function isChannelSite(name: string): boolean {
  return name.startsWith('dc:') || name.startsWith('tracing:');
}

/** Options of {@link attachChannel}. */
export interface ChannelAttachOptions {
  name?: string;
  order?: Order;
  armed?: boolean;
  registry?: Registry;
}

type DcModule = typeof DiagnosticsChannel;
type DcHandler = (message: unknown, name: string | symbol) => void;
interface TracingHandlers {
  start: (message: unknown) => void;
  end: (message: unknown) => void;
  asyncStart: (message: unknown) => void;
  asyncEnd: (message: unknown) => void;
  error: (message: unknown) => void;
}

interface Entry {
  readonly exit: ExitImpl;
  readonly stats: { hits: number; faults: number; missed: number };
  /** dc: the observer's exit for the site's hook. */
  readonly fire?: (...args: unknown[]) => void;
  /** tracing: the observer's probe handlers. */
  readonly handlers?: ProbeHandlers;
}

/** A call's context as the handlers see it (one per entry, as probes give each probe its own). */
interface CallContext extends ProbeCallContext {
  startMs?: number;
  endMs?: number;
  settled?: boolean;
}

/** One traced operation from start to end or asyncEnd. */
interface Call {
  readonly parts: { entry: Entry; ctx: CallContext }[];
  failed: boolean;
  error: unknown;
}

/** Tells the messages of hookwire's own work (the control server's requests) apart; set by the control layer. */
let ownMessage: (message: unknown) => boolean = () => false;

/**
 * Sets how channel sites recognise a message about hookwire's own work (a channel is published
 * outside any code of ours we could mark, e.g. `http.server.request.start` by Node's HTTP parser):
 * such messages are never dispatched. The control layer sets it once.
 */
export function setOwnMessageTest(test: (message: unknown) => boolean): void {
  ownMessage = test;
}

const sitesOf = new WeakMap<Registry, Map<string, ChannelSite>>();
const noop = function channel(): void {};

function dcModule(): DcModule {
  const dc = builtin('node:diagnostics_channel');
  if (dc === undefined || typeof dc.tracingChannel !== 'function') {
    throw new HookError('ERR_INVALID_ARG', 'channel sites need node:diagnostics_channel with tracingChannel (Node 20.16 or newer)');
  }
  return dc;
}

/** One channel as a site: its hook, its observers, and the subscription while any is armed. */
class ChannelSite {
  readonly hook: HookImpl;
  readonly entries = new Map<ExitImpl, Entry>();
  #active: readonly Entry[] = [];
  #unsubscribe: (() => void) | undefined;
  readonly #calls = new WeakMap<object, Call>();

  constructor(
    readonly name: string,
    readonly parsed: ChannelName,
    readonly registry: RegistryImpl,
    private readonly dc: DcModule,
  ) {
    this.hook = declare(
      'hook',
      name,
      {
        registry,
        faultPolicy: 'isolate',
        args: parsed.kind === 'dc' ? ['message', 'name'] : ['message'],
        description: `${parsed.kind === 'dc' ? 'diagnostics_channel' : 'TracingChannel'} "${parsed.channel}"`,
      },
      { meta: { channel: parsed.channel, kind: parsed.kind }, onArmedChange: (armed) => this.#rebuild(armed), source: () => this.source() },
    );
  }

  source(): string {
    return `// ${this.name}: ${this.#unsubscribe === undefined ? 'not subscribed (no armed exit)' : `subscribed for ${this.#active.length} armed exit(s)`}`;
  }

  get subscribed(): boolean {
    return this.#unsubscribe !== undefined;
  }

  /** The core's armed list changed: dispatch to exactly those, subscribed only while there is one. */
  #rebuild(armed: readonly ExitImpl[]): void {
    const active: Entry[] = [];
    for (const exit of armed) {
      const entry = this.entries.get(exit);
      if (entry !== undefined) active.push(entry);
    }
    this.#active = active;
    if (active.length > 0 && this.#unsubscribe === undefined) this.#unsubscribe = this.#subscribe();
    else if (active.length === 0 && this.#unsubscribe !== undefined) {
      const stop = this.#unsubscribe;
      this.#unsubscribe = undefined;
      stop();
    }
  }

  #subscribe(): () => void {
    const { dc, parsed } = this;
    if (parsed.kind === 'dc') {
      const onMessage: DcHandler = (message, name) => this.#fire(message, name);
      dc.subscribe(parsed.channel, onMessage);
      return () => dc.unsubscribe(parsed.channel, onMessage);
    }
    const channel = dc.tracingChannel(parsed.channel);
    const handlers: TracingHandlers = {
      start: (message) => this.#start(message),
      end: (message) => this.#end(message, false),
      asyncStart: () => undefined,
      asyncEnd: (message) => this.#end(message, true),
      error: (message) => this.#error(message),
    };
    channel.subscribe(handlers);
    return () => channel.unsubscribe(handlers);
  }

  /**
   * Whether a message may be dispatched now. hookwire's own work (the agent, the control server)
   * is never observed; a message published by an observer's own handler is counted as missed.
   */
  #admit(list: readonly Entry[], message: unknown): boolean {
    if (guard.depth === 0) return !isOwn(message);
    if (guard.own === 0) for (const e of list) e.stats.missed++;
    return false;
  }

  #fire(message: unknown, name: string | symbol): void {
    const list = this.#active;
    if (!this.#admit(list, message)) return;
    guard.depth++;
    try {
      for (const entry of list) {
        entry.stats.hits++;
        try {
          entry.fire?.(message, name);
        } catch {
          entry.stats.faults++;
        }
      }
    } finally {
      guard.depth--;
    }
  }

  #start(message: unknown): void {
    const list = this.#active;
    if ((typeof message !== 'object' && typeof message !== 'function') || message === null || !this.#admit(list, message)) return;
    const call: Call = { parts: [], failed: false, error: undefined };
    guard.depth++;
    try {
      for (const entry of list) {
        entry.stats.hits++;
        const ctx: CallContext = { args: [message], thisArg: undefined, newTarget: undefined, hook: this.name, data: {} };
        call.parts.push({ entry, ctx });
        try {
          entry.handlers?.onEnter(ctx);
        } catch {
          entry.stats.faults++;
        }
      }
    } finally {
      guard.depth--;
    }
    // Stamped after the handlers, as probes stamp around the original only.
    const start = now();
    for (const part of call.parts) part.ctx.startMs = start;
    this.#calls.set(message, call);
  }

  #error(message: unknown): void {
    const call = typeof message === 'object' && message !== null ? this.#calls.get(message) : undefined;
    if (call === undefined) return;
    call.failed = true;
    call.error = readOwn(message, 'error');
  }

  /**
   * `end` completes a synchronous operation (traceSync sets `result` or `error` before it); one
   * that goes on asynchronously (tracePromise, traceCallback) completes at `asyncEnd`.
   */
  #end(message: unknown, settled: boolean): void {
    const end = now();
    const call = typeof message === 'object' && message !== null ? this.#calls.get(message) : undefined;
    if (call === undefined) return;
    if (!settled && !call.failed && !hasOwn(message, 'result') && !hasOwn(message, 'error')) return;
    this.#calls.delete(message as object);
    const result = readOwn(message, 'result');
    guard.depth++;
    try {
      for (const { entry, ctx } of call.parts) {
        ctx.endMs = end;
        ctx.settled = settled;
        try {
          if (call.failed) entry.handlers?.onError(ctx, call.error);
          else entry.handlers?.onLeave(ctx, result);
        } catch {
          entry.stats.faults++;
        }
      }
    } finally {
      guard.depth--;
    }
  }

  /** Unsubscribes and forgets the site (its hook is terminated by the caller's transaction). */
  dispose(): void {
    this.#rebuild([]);
    sitesOf.get(this.registry)?.delete(this.name);
  }
}

/** A catalogue observer on a channel site; shaped as a probe, so it is armed, listed and removed like one. */
class ChannelProbe implements Probe {
  #status: 'attached' | 'removed' = 'attached';
  #final: ProbeStats | undefined;

  constructor(
    readonly name: string,
    private readonly site: ChannelSite,
    private readonly entry: Entry,
  ) {}

  get hook(): string {
    return this.site.name;
  }
  get armed(): boolean {
    return this.#status === 'attached' && this.entry.exit.armed;
  }
  get status(): 'attached' | 'removed' {
    return this.#status;
  }
  /** A channel site is never pending. */
  get pendingReason(): undefined {
    return undefined;
  }
  get stats(): ProbeStats {
    return this.#final ?? { ...this.entry.stats };
  }
  arm(): this {
    this.#live();
    this.entry.exit.arm();
    return this;
  }
  disarm(): this {
    this.#live();
    this.entry.exit.disarm();
    return this;
  }
  remove(): boolean {
    if (this.#status === 'removed') return true;
    const { site, entry } = this;
    const last = site.entries.size === 1;
    runTransaction(`channel exit "${this.name}"`, (tx) => {
      tx.deregister(entry.exit);
      if (last && !site.hook.terminated) tx.terminate(site.hook, { force: true });
    });
    site.entries.delete(entry.exit);
    if (last) site.dispose();
    this.#final = Object.freeze({ ...entry.stats });
    this.#status = 'removed';
    return true;
  }
  source(): string {
    return this.site.source();
  }
  [Symbol.dispose](): void {
    this.remove();
  }
  #live(): void {
    if (this.#status === 'removed') throw new HookError('ERR_EXIT_DEREGISTERED', `channel exit "${this.name}" was removed`);
  }
}

let seq = 0;

/**
 * Puts `observer` on the channel site `name` (`dc:<channel>` or `tracing:<name>`), declaring the
 * site's hook in the registry the first time. Returns a probe-shaped handle (arm, disarm, remove,
 * stats). The channel is subscribed while at least one exit of the site is armed. Throws
 * ERR_INVALID_ARG for a bad name or option; the core's errors (a hook of that name declared by the
 * program, a sealed registry) pass through.
 */
export function attachChannel(observer: Observer, name: string, options: ChannelAttachOptions = {}): Probe {
  const parsed = parseChannelName(name);
  if (parsed === undefined) throw new HookError('ERR_INVALID_ARG', `a channel site is dc:<channel> or tracing:<name>, got ${describe(name)}`);
  const reg = options.registry ?? defaultRegistry;
  if (!(reg instanceof RegistryImpl))
    throw new HookError('ERR_INVALID_ARG', `attach option "registry" must come from createRegistry(), got ${describe(reg)}`);
  const exitName = options.name === undefined ? `${observer.type}#${++seq}` : validateExitName(options.name);
  const dc = dcModule();
  let sites = sitesOf.get(reg);
  if (sites === undefined) sitesOf.set(reg, (sites = new Map<string, ChannelSite>()));
  let site = sites.get(name);
  if (site !== undefined && site.hook.terminated) {
    site.dispose();
    site = undefined;
  }
  const created = site === undefined;
  site ??= new ChannelSite(name, parsed, reg, dc);
  let exit: ExitImpl;
  let entry: Entry;
  try {
    exit = site.hook.register(noop, { name: exitName, ...(options.order !== undefined && { order: options.order }) });
    // The exit's own counters (the registry's snapshot and `ls` read them), plus missed.
    const stats = Object.assign(exit.stats, { missed: 0 });
    entry = parsed.kind === 'dc' ? { exit, stats, fire: observer.forHook(site.hook) } : { exit, stats, handlers: observer.forProbe() };
  } catch (error) {
    if (created) site.hook.terminate({ force: true });
    throw error;
  }
  if (created) sites.set(name, site);
  site.entries.set(exit, entry);
  const handle = new ChannelProbe(exitName, site, entry);
  if (options.armed !== false) exit.arm();
  return handle;
}

/** Whether the site `name` of `registry` is subscribed to its channel now (tests, `ls`). */
export function channelSubscribed(name: string, registry: Registry = defaultRegistry): boolean {
  return sitesOf.get(registry)?.get(name)?.subscribed ?? false;
}

function isOwn(message: unknown): boolean {
  try {
    return ownMessage(message);
  } catch {
    return false;
  }
}

function hasOwn(value: unknown, key: string): boolean {
  try {
    return typeof value === 'object' && value !== null && Object.hasOwn(value, key);
  } catch {
    return false;
  }
}

/** An own data property, never a getter of the publisher's (see summarize.ts for the same rule). */
function readOwn(value: unknown, key: string): unknown {
  try {
    if (typeof value !== 'object' || value === null) return undefined;
    const d = Object.getOwnPropertyDescriptor(value, key);
    return d !== undefined && 'value' in d ? d.value : undefined;
  } catch {
    return undefined;
  }
}
