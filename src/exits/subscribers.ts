/**
 * Knowing when a diagnostics_channel gains its first subscriber or loses its last one, which Node
 * announces to nobody. Every way of subscribing goes through the channel object's own methods:
 * `dc.subscribe(name, fn)` and `dc.unsubscribe` call `channel(name).subscribe`/`unsubscribe`, a
 * TracingChannel's `subscribe(handlers)` calls each of its five channels' `subscribe`, and
 * `bindStore`/`unbindStore` (what `runStores` users such as APM agents call) are methods too. And
 * diagnostics_channel gives the same object for a name while someone holds it strongly. So whoever
 * holds a channel object (publish.ts holds those of its `hookwire:<site>` channels) can put an own
 * method over each of those four that calls the channel's own and then looks at `hasSubscribers`.
 * Checked on Node 20, 22 and 24 (test/bridges/subscribers.test.ts). Not seen: a caller that
 * reaches the prototype's method directly (`Channel.prototype.subscribe.call(ch, fn)`).
 */
import type * as DiagnosticsChannel from 'node:diagnostics_channel';

type Channel = DiagnosticsChannel.Channel;

/** The methods that change whether a channel has subscribers. */
const METHODS = ['subscribe', 'unsubscribe', 'bindStore', 'unbindStore'] as const;

/** A watched channel's watchers (each a group of channels with one listener). */
const watchers = new WeakMap<Channel, Set<Group>>();

/** Channels watched together: "subscribed" while any of them has a subscriber. */
class Group {
  subscribed: boolean;

  constructor(
    readonly channels: readonly Channel[],
    private readonly listener: (subscribed: boolean) => void,
  ) {
    this.subscribed = anySubscribed(channels);
  }

  /** Looks again; tells the listener when the answer changed. Never throws into the subscriber's call. */
  check(): void {
    const now = anySubscribed(this.channels);
    if (now === this.subscribed) return;
    this.subscribed = now;
    try {
      this.listener(now);
    } catch {
      // The listener contains its own faults; nothing may reach the program's subscribe call.
    }
  }
}

/** What {@link watchSubscribers} returns. */
export interface SubscriberWatch {
  /** Whether any of the channels has a subscriber (or a bound store) now. */
  readonly subscribed: boolean;
  /** Stops watching; the channels get their own methods back when nobody else watches them. Idempotent. */
  stop(): void;
}

/**
 * Calls `listener(true)` when the first of `channels` gains a subscriber (or a bound store) and
 * `listener(false)` when the last one is gone. The caller must hold the channel objects strongly
 * for as long as it watches (diagnostics_channel holds them weakly).
 */
export function watchSubscribers(channels: readonly Channel[], listener: (subscribed: boolean) => void): SubscriberWatch {
  const group = new Group([...channels], listener);
  for (const channel of group.channels) {
    let set = watchers.get(channel);
    if (set === undefined) {
      watchers.set(channel, (set = new Set()));
      install(channel);
    }
    set.add(group);
  }
  let stopped = false;
  return {
    get subscribed() {
      return group.subscribed;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      for (const channel of group.channels) {
        const set = watchers.get(channel);
        if (set === undefined) continue;
        set.delete(group);
        if (set.size === 0) {
          watchers.delete(channel);
          uninstall(channel);
        }
      }
    },
  };
}

/** Puts an own method over each of the channel's subscription methods: the channel's own, then a look. */
function install(channel: Channel): void {
  for (const name of METHODS) {
    const method = function (this: unknown, ...args: unknown[]): unknown {
      // The prototype's method of the moment: an idle channel's becomes active and calls back here.
      const own = (Object.getPrototypeOf(this) as Record<string, (...a: unknown[]) => unknown>)[name]!;
      try {
        return Reflect.apply(own, this, args);
      } finally {
        // Also after a throw: Node may have made the channel active before refusing the argument.
        const set = watchers.get(channel);
        if (set !== undefined) for (const group of [...set]) group.check();
      }
    };
    Object.defineProperty(method, 'name', { value: name, configurable: true });
    Object.defineProperty(channel, name, { value: method, writable: true, configurable: true, enumerable: false });
  }
}

function uninstall(channel: Channel): void {
  for (const name of METHODS) delete (channel as unknown as Record<string, unknown>)[name];
}

function anySubscribed(channels: readonly Channel[]): boolean {
  for (const channel of channels) if (channel.hasSubscribers) return true;
  return false;
}
