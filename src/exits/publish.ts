/**
 * `publish`: hookwire sites as channels. Each hit of a site it is attached to is published on the
 * TracingChannel `hookwire:<site>` (start, end, and for calls that settle later asyncStart and
 * asyncEnd; error when the call threw or rejected), so existing subscribers (OpenTelemetry
 * instrumentations, APM agents, `diagnostics_channel.tracingChannel('hookwire:<site>').subscribe`)
 * consume hookwire sites. The message is `{ site, args, self?, result?, error? }` with the live
 * values, as TracingChannel publishers give them.
 *
 * Publishing follows the channel's subscribers: while `hookwire:<site>` has none, the publish exit
 * waits disarmed (the site's zero-cost state: a hook's idle `fire`, a probe's original function),
 * and it is armed again when the first subscriber comes (subscribers.ts sees every way of
 * subscribing). A hook's publish exits are found on their hook; a probe's handle is given by
 * `follow` of the observer `publish()` returns.
 */
import type * as DiagnosticsChannel from 'node:diagnostics_channel';
import type { AnyHook, Exit } from '../core/index.ts';
import { HookError } from '../core/index.ts';
import { describe, validateOptions, type ExitImpl } from '../core/internal.ts';
import type { Probe } from '../probe/index.ts';
import { named, scratch, setScratch, SiteTable, type Observer, type ProbeCallContext, type ProbeHandlers, type SiteReport } from './observer.ts';
import { builtin } from '../probe/host.ts';
import { whenSettled } from './settle.ts';
import { watchSubscribers, type SubscriberWatch } from './subscribers.ts';

/** `publish`: per site, hits and how many were published (had a subscriber). */
export interface PublishSiteReport extends SiteReport {
  /** Hits published on the channel (it had subscribers then). */
  published: number;
  /**
   * Whether `hookwire:<site>` has a subscriber now. While it has none, the site's publish exits
   * wait disarmed and cost nothing; hits are then not seen (`hits` counts those that reached the exit).
   */
  subscribed: boolean;
  /**
   * Whether an attachment of the observer on the site waits, disarmed, for a subscriber: it is
   * armed again when one comes. How a listing tells it from one its owner disarmed.
   */
  waiting: boolean;
}

/** What `publish().report()` returns. */
export interface PublishReport {
  type: 'publish';
  faults: number;
  sites: Record<string, PublishSiteReport>;
}

/** What subscribers of `hookwire:<site>` receive. */
export interface PublishMessage {
  /** The hookwire site (hook or probe name). */
  site: string;
  /** The call's (or fire's) arguments, as passed. */
  args: readonly unknown[];
  /** `this` of a probed call. */
  self?: unknown;
  /** What the call returned (or its promise fulfilled with). */
  result?: unknown;
  /** What it threw (or its promise rejected with). */
  error?: unknown;
}

type Tracing = DiagnosticsChannel.TracingChannel<unknown, PublishMessage>;

/** The TracingChannel name of a site: `hookwire:<site>`. */
export function channelNameOf(site: string): string {
  return `hookwire:${site}`;
}

function tracingChannel(name: string): Tracing {
  const dc = builtin('node:diagnostics_channel');
  if (dc === undefined || typeof dc.tracingChannel !== 'function') {
    throw new HookError('ERR_INVALID_ARG', 'the publish exit needs node:diagnostics_channel with tracingChannel (Node 20.16 or newer)');
  }
  return dc.tracingChannel<unknown, PublishMessage>(name);
}

/** What a publish observer can arm and disarm: a hook's exit, or a probe. */
type Armable = Exit | Probe;

/** One attachment of the observer whose arming follows its channel's subscribers. */
interface Follower {
  readonly handle: Armable;
  /** The state its owner wants: changed by an arm or disarm the observer did not make. */
  want: boolean;
  /** The state the observer last left it in. */
  set: boolean;
}

interface PublishSite {
  readonly name: string;
  hits: number;
  published: number;
  faults: number;
  readonly channel: Tracing;
  readonly watch: SubscriberWatch;
  /** Exit functions made by forHook whose exit is not found on the hook yet. */
  readonly unfound: { readonly hook: AnyHook; readonly fn: (...args: unknown[]) => void }[];
}

/**
 * Makes a publish observer (no options). Besides an observer's methods it has `follow(handle)`,
 * which ties the arming of `handle` (a probe with this observer's handlers, or a hook exit of it)
 * to `hookwire:<site>`'s subscribers: disarmed while there is none, armed again when one
 * subscribes, unless its owner disarmed it meanwhile. A hook's exits are followed without asking.
 * `follow` throws ERR_INVALID_ARG for anything but an exit or a probe.
 */
export function publish(options?: Record<string, never>): Observer<PublishReport> & { follow(handle: Exit | Probe): void } {
  validateOptions(options, [], 'publish option');
  const table = new SiteTable<PublishSite>(() => {
    throw new Error('publish sites are made by siteNamed');
  });
  const followers: Follower[] = [];
  const MESSAGE = Symbol('hookwire.publish.message');
  let closed = false;

  const siteNamed = (name: string): PublishSite => {
    let s = table.sites.get(name);
    if (s === undefined) {
      const channel = tracingChannel(channelNameOf(name));
      const channels = [channel.start, channel.end, channel.asyncStart, channel.asyncEnd, channel.error];
      // The observer holds the TracingChannel (and so its five channels) for as long as it lives:
      // diagnostics_channel then keeps giving subscribers these very objects.
      const watch = watchSubscribers(channels, () => settle(name));
      s = { name, hits: 0, published: 0, faults: 0, channel, watch, unfound: [] };
      table.sites.set(name, s);
    }
    return s;
  };

  const siteOf = (handle: Armable): string => (typeof handle.hook === 'string' ? handle.hook : handle.hook.name);

  const gone = (handle: Armable): boolean => ('status' in handle ? handle.status === 'removed' : !handle.registered);

  /** Finds the exits of forHook's functions on their hooks (registered after forHook returned). */
  const find = (s: PublishSite): void => {
    for (let i = s.unfound.length - 1; i >= 0; i--) {
      const { hook, fn } = s.unfound[i]!;
      const exit = hook.exits.find((e) => (e as ExitImpl).fn === fn);
      if (exit !== undefined) {
        s.unfound.splice(i, 1);
        if (!followers.some((f) => f.handle === exit)) followers.push({ handle: exit, want: exit.armed, set: exit.armed });
      } else if (hook.terminated) s.unfound.splice(i, 1);
    }
  };

  /** Arms the site's followers that want it while the channel has subscribers, disarms them while not. */
  function settle(name: string): void {
    const s = table.sites.get(name);
    if (s === undefined || closed) return;
    find(s);
    const subscribed = s.watch.subscribed;
    for (let i = followers.length - 1; i >= 0; i--) {
      const f = followers[i]!;
      if (gone(f.handle)) {
        followers.splice(i, 1);
        continue;
      }
      if (siteOf(f.handle) !== name) continue;
      try {
        // An arm or disarm made by someone else since: that is what its owner wants now.
        if (f.handle.armed !== f.set) f.want = f.handle.armed;
        const armed = f.want && subscribed;
        if (f.handle.armed !== armed) {
          if (armed) f.handle.arm();
          else f.handle.disarm();
        }
      } catch {
        table.fault(s);
      }
      f.set = f.handle.armed;
    }
  }

  const complete = (s: PublishSite, message: PublishMessage, later: boolean): void => {
    const { channel } = s;
    if ('error' in message) channel.error.publish(message);
    if (later) {
      channel.asyncStart.publish(message);
      channel.asyncEnd.publish(message);
    }
  };

  const finish = (ctx: ProbeCallContext, failed: boolean, value: unknown): void => {
    let s: PublishSite | undefined;
    try {
      s = siteNamed(ctx.hook);
      const message = scratch<PublishMessage>(ctx, MESSAGE);
      if (message === undefined) return;
      setScratch(ctx, MESSAGE, undefined);
      const site = s;
      if (failed) message.error = value;
      else if (ctx.settled !== true) {
        // A returned thenable: `end` now, as tracePromise does, the rest when it settles.
        const waiting = whenSettled(value, (rejected, outcome) => {
          try {
            if (rejected) message.error = outcome;
            else message.result = outcome;
            complete(site, message, true);
          } catch {
            table.fault(site);
          }
        });
        if (waiting) {
          site.channel.end.publish(message);
          return;
        }
        message.result = value;
      } else message.result = value;
      // An async function's probe completes at settlement: end, then the settlement.
      if ('error' in message && ctx.settled !== true) site.channel.error.publish(message);
      site.channel.end.publish(message);
      if (ctx.settled === true) complete(site, message, true);
    } catch {
      table.fault(s);
    }
  };

  return {
    type: 'publish',
    forHook(hook: AnyHook) {
      const s = siteNamed(hook.name);
      const name = hook.name;
      const fn = named((...args: unknown[]): void => {
        try {
          s.hits++;
          // Reached with no subscriber: armed before the observer could tell (just attached, or
          // armed by hand since). It waits disarmed from the next fire on.
          if (!s.channel.hasSubscribers) return settle(name);
          s.published++;
          const message: PublishMessage = { site: name, args };
          s.channel.start.publish(message);
          s.channel.end.publish(message);
        } catch {
          table.fault(s);
        }
      }, 'publish');
      s.unfound.push({ hook, fn });
      // The exit is registered (and armed) by the caller right after this returns: look for it then.
      void Promise.resolve().then(() => settle(name));
      return fn;
    },
    forProbe(): ProbeHandlers {
      return {
        onEnter(ctx) {
          let s: PublishSite | undefined;
          try {
            s = siteNamed(ctx.hook);
            s.hits++;
            if (!s.channel.hasSubscribers) return settle(ctx.hook);
            s.published++;
            const message: PublishMessage = { site: ctx.hook, args: ctx.args, self: ctx.thisArg };
            setScratch(ctx, MESSAGE, message);
            s.channel.start.publish(message);
          } catch {
            table.fault(s);
          }
        },
        onLeave(ctx, result) {
          finish(ctx, false, result);
          return undefined;
        },
        onError(ctx, error) {
          finish(ctx, true, error);
          return undefined;
        },
      };
    },
    follow(handle: Exit | Probe) {
      const ok =
        typeof handle === 'object' &&
        handle !== null &&
        typeof handle.arm === 'function' &&
        typeof handle.disarm === 'function' &&
        (typeof handle.hook === 'string' || (typeof handle.hook === 'object' && handle.hook !== null && typeof handle.hook.name === 'string'));
      if (!ok) throw new HookError('ERR_INVALID_ARG', `publish().follow needs an exit or a probe, got ${describe(handle)}`);
      if (followers.some((f) => f.handle === handle)) return;
      followers.push({ handle, want: handle.armed, set: handle.armed });
      const name = siteOf(handle);
      siteNamed(name);
      settle(name);
    },
    report(): PublishReport {
      return {
        type: 'publish',
        ...table.report(({ name, hits, published, faults, watch }) => ({
          hits,
          published,
          faults,
          subscribed: watch.subscribed,
          waiting: followers.some((f) => !gone(f.handle) && siteOf(f.handle) === name && f.want && !f.handle.armed),
        })),
      };
    },
    close() {
      if (closed) return;
      closed = true;
      for (const s of table.sites.values()) s.watch.stop();
    },
  };
}
