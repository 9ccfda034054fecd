/**
 * `publish`: hookwire sites as channels. Each hit of a site it is attached to is published on the
 * TracingChannel `hookwire:<site>` (start, end, and for calls that settle later asyncStart and
 * asyncEnd; error when the call threw or rejected), so existing subscribers (OpenTelemetry
 * instrumentations, APM agents, `diagnostics_channel.tracingChannel('hookwire:<site>').subscribe`)
 * consume hookwire sites. The message is `{ site, args, self?, result?, error? }` with the live
 * values, as TracingChannel publishers give them. While the channel has no subscriber a hit costs
 * one check of `hasSubscribers`, and nothing is built.
 */
import type * as DiagnosticsChannel from 'node:diagnostics_channel';
import type { AnyHook } from '../core/index.ts';
import { HookError } from '../core/index.ts';
import { validateOptions } from '../core/internal.ts';
import { named, scratch, setScratch, SiteTable, type Observer, type ProbeCallContext, type ProbeHandlers, type SiteReport } from './observer.ts';
import { builtin } from '../probe/host.ts';
import { whenSettled } from './settle.ts';

/** `publish`: per site, hits and how many were published (had a subscriber). */
export interface PublishSiteReport extends SiteReport {
  /** Hits published on the channel (it had subscribers then). */
  published: number;
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

interface PublishSite extends PublishSiteReport {
  readonly channel: Tracing;
}

/** Makes a publish observer (no options). */
export function publish(options?: Record<string, never>): Observer<PublishReport> {
  validateOptions(options, [], 'publish option');
  const sites = new Map<string, Tracing>();
  const table = new SiteTable<PublishSite>(() => ({ hits: 0, published: 0, faults: 0, channel: undefined as unknown as Tracing }));
  const MESSAGE = Symbol('hookwire.publish.message');

  const siteNamed = (name: string): PublishSite => {
    const s = table.site(name);
    if (s.channel === undefined) {
      let channel = sites.get(name);
      if (channel === undefined) sites.set(name, (channel = tracingChannel(channelNameOf(name))));
      (s as { channel: Tracing }).channel = channel;
    }
    return s;
  };

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
      return named((...args: unknown[]): void => {
        try {
          s.hits++;
          if (!s.channel.hasSubscribers) return;
          s.published++;
          const message: PublishMessage = { site: name, args };
          s.channel.start.publish(message);
          s.channel.end.publish(message);
        } catch {
          table.fault(s);
        }
      }, 'publish');
    },
    forProbe(): ProbeHandlers {
      return {
        onEnter(ctx) {
          let s: PublishSite | undefined;
          try {
            s = siteNamed(ctx.hook);
            s.hits++;
            if (!s.channel.hasSubscribers) return;
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
    report(): PublishReport {
      return { type: 'publish', ...table.report(({ hits, published, faults }) => ({ hits, published, faults })) };
    },
    close() {},
  };
}
