import type { AnyHook, Exit, Registry } from '../core/index.ts';
import { attach, observerFromSpec, parseChannelName, type Observer, type TraceRecord } from '../exits/index.ts';
import { isBudgeted, withBudget, type Budget } from '../exits/budget.ts';
import { setOwnMessageTest } from '../exits/channel-site.ts';
import type { Probe } from '../probe/index.ts';
import { OwnIncomingMessage, OwnServerResponse } from './own-emitter.ts';
import type { ExitSpec } from './protocol.ts';

/** What the catalogue puts on a site: an exit on a declared hook, or a probe on a function named by spec. */
export type ExitOrProbe = Exit | Probe;

/**
 * The exits a control client may choose from, and how they are put on a site. Nothing here
 * evaluates code: an exit is chosen by a JSON spec. The default is {@link exitCatalogue}
 * (`hookwire/exits`); a program may pass a narrower one to `startControlServer` (one that refuses
 * some types, for example).
 */
export interface Catalogue {
  /**
   * Builds an observer from a JSON spec; a trace observer's records go to `onRecord` unless the
   * spec names a file sink, which only `allowFiles` permits (the environment may, a socket client
   * may not). A bad spec throws ERR_INVALID_ARG.
   */
  observer(spec: ExitSpec, onRecord: (record: TraceRecord) => void, options: { allowFiles: boolean }): Observer;
  /**
   * Attaches the observer to a declared hook or to a probe spec. Without `load`, a probe spec
   * must not load a module: it attaches to what is loaded or waits until the program loads it.
   */
  attach(observer: Observer, target: AnyHook | string, options: { name: string; armed: boolean; load?: boolean }): ExitOrProbe;
  /** Takes an attached exit or probe away again. */
  detach(attached: ExitOrProbe): void;
}

// The control server's HTTP traffic is published on node:http's channels by Node's parser, outside
// any code the server marks as its own: channel sites skip a message about its requests.
setOwnMessageTest((message) => {
  if (typeof message !== 'object' || message === null) return false;
  const { request, response } = message as { request?: unknown; response?: unknown };
  return request instanceof OwnIncomingMessage || response instanceof OwnServerResponse;
});

/**
 * The real exit catalogue (`hookwire/exits`), the control layer's only door to it: observers from
 * JSON specs, trace records to the agent's stream, attached to hooks or probe specs.
 */
export function exitCatalogue(registry: Registry): Catalogue {
  return {
    observer(spec, onRecord, options) {
      const observer = observerFromSpec(spec, { sink: { callback: onRecord }, allowFiles: options.allowFiles, registry });
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
