/**
 * How a catalogue puts its observers on sites and takes them away: a budget around the observer
 * when its spec has one, attached to a declared hook, a channel site or a probe spec, and taken
 * away when the budget expires. Shared by the catalogue with every exit type (catalogue.ts) and
 * the agent's, which loads them on demand (catalogue-on-demand.ts).
 */
import type { Registry } from '../core/index.ts';
import { attach } from '../exits/attach.ts';
import { isBudgeted, withBudget, type Budget } from '../exits/budget.ts';
import { parseChannelName, setOwnMessageTest } from '../exits/channel-site.ts';
import type { Observer } from '../exits/observer.ts';
import type { SpecDefaults } from '../exits/spec-build.ts';
import type { Probe } from '../probe/index.ts';
import type { Catalogue, ExitOrProbe } from './catalogue.ts';
import type { ExitSpec } from './protocol.ts';
import { isOwnMessage } from './own-messages.ts';

// The control server's HTTP traffic is published on node:http's channels by Node's parser, outside
// any code the server marks as its own: channel sites skip a message about its requests.
setOwnMessageTest((message) => {
  if (typeof message !== 'object' || message === null) return false;
  const { request, response } = message as { request?: unknown; response?: unknown };
  return isOwnMessage(request) || isOwnMessage(response);
});

/**
 * A catalogue that builds observers with `build` (`observerFromSpec` or the on-demand builder)
 * and, when given, loads what a spec needs with `prepare` first.
 */
export function catalogueWith(
  registry: Registry,
  build: (spec: unknown, defaults: SpecDefaults) => Observer,
  prepare?: (spec: ExitSpec, target: string) => Promise<void>,
): Catalogue {
  return {
    ...(prepare !== undefined && { prepare }),
    observer(spec, onRecord, options) {
      const observer = build(spec, { sink: { callback: onRecord }, allowFiles: options.allowFiles, registry });
      // Only an exit with a budget pays for one (budget.ts).
      return spec['budget'] === undefined ? observer : withBudget(observer, spec['budget'] as Budget);
    },
    attach(observer, target, options) {
      const load = typeof target === 'string' ? { load: options.load === true } : {};
      // A channel site declares its hook in the catalogue's registry.
      const attached =
        typeof target === 'string' && parseChannelName(target) !== undefined
          ? attach(observer, target, { name: options.name, armed: options.armed, registry })
          : attach(observer, target, { name: options.name, armed: options.armed, ...load });
      // An expired budget takes its exit or probe away (the original comes back); one over its
      // overhead share disarms it. The attachment stays listed, with the reason, until removed.
      if (isBudgeted(observer)) observer.onEnd((end) => (end === 'expired' ? detach(attached) : attached.disarm()));
      // A publish exit on a probe waits disarmed while its channel has no subscriber (publish.ts);
      // an exit on a hook is found by the observer itself.
      if ('remove' in attached && hasFollow(observer)) observer.follow(attached);
      return attached;
    },
    detach,
  };
}

function hasFollow(observer: Observer): observer is Observer & { follow(probe: Probe): void } {
  return typeof (observer as { follow?: unknown }).follow === 'function';
}

function detach(attached: ExitOrProbe): void {
  if ('remove' in attached) attached.remove();
  else attached.deregister();
}
