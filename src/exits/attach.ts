/**
 * Puts an observer on a site: a declared hook (as an exit) or a probe spec (as a new probe). The
 * one call the agent, the control socket and the CLI need to go from "this exit at that place" to
 * something they can arm, disarm and remove.
 */
import { HookError, type Order, type AnyHook, type Exit, type Registry } from '../core/index.ts';
import { describe, validateOptions } from '../core/internal.ts';
import type { Probe } from '../probe/index.ts';
import { probeSpec } from '../probe/probe-spec.ts';
import { attachChannel, isChannelSite } from './channel-site.ts';
import type { Observer } from './observer.ts';

/** Options of {@link attach}. */
export interface AttachOptions {
  /** The exit's (or probe's) name; default `<type>#<n>` for hooks, the probe layer's default for probes. */
  name?: string;
  /** Where it runs among the site's exits (default 0). */
  order?: Order;
  /** Arm at once (default true). */
  armed?: boolean;
  /** For a probe spec: declare the probe's hook in this registry instead of the default one. */
  registry?: Registry;
  /**
   * For a probe spec: load a CommonJS module that is not loaded yet (default true). `false` loads
   * nothing: the probe waits, pending, until the program loads the module.
   */
  load?: boolean;
}

/**
 * Attaches `observer` to `target`: a hook object gets an exit made by `observer.forHook` (returns
 * the {@link Exit}); a string is a probe spec (`'node:fs#readFileSync'`,
 * `'./lib/db.js#Client.prototype.query'`) and gets a probe with `observer.forProbe()`'s handlers
 * (returns the `Probe`, possibly pending until its module loads). Armed unless `armed: false`.
 * Bad arguments throw ERR_INVALID_ARG; the core's and the probe layer's errors pass through.
 */
export function attach(observer: Observer, target: AnyHook | string, options?: AttachOptions): Exit | Probe {
  if (typeof observer !== 'object' || observer === null || typeof observer.forHook !== 'function' || typeof observer.forProbe !== 'function') {
    throw new HookError(
      'ERR_INVALID_ARG',
      `attach needs an observer (from trace(), count(), latency(), assert() or observerFromSpec()), got ${describe(observer)}`,
    );
  }
  const opts = validateOptions(options, ['name', 'order', 'armed', 'registry', 'load'], 'attach option') as AttachOptions;
  const armed = opts.armed ?? true;
  if (typeof armed !== 'boolean') throw new HookError('ERR_INVALID_ARG', `attach option "armed" must be a boolean, got ${describe(armed)}`);
  // dc:<channel> and tracing:<name> are channel sites (channel-site.ts), not probe specs.
  if (typeof target === 'string' && isChannelSite(target)) {
    return attachChannel(observer, target, {
      armed,
      ...(opts.name !== undefined && { name: opts.name }),
      ...(opts.order !== undefined && { order: opts.order }),
      ...(opts.registry !== undefined && { registry: opts.registry }),
    });
  }
  if (typeof target === 'string') {
    return probeSpec(target, observer.forProbe(), {
      armed,
      ...(opts.name !== undefined && { name: opts.name }),
      ...(opts.order !== undefined && { order: opts.order }),
      ...(opts.registry !== undefined && { registry: opts.registry }),
      ...(opts.load !== undefined && { load: opts.load }),
    });
  }
  if (typeof target !== 'object' || target === null || typeof target.register !== 'function' || typeof target.name !== 'string') {
    throw new HookError('ERR_INVALID_ARG', `attach target must be a hook or a probe spec string like "node:fs#readFileSync", got ${describe(target)}`);
  }
  if (opts.registry !== undefined) {
    throw new HookError('ERR_INVALID_ARG', 'attach option "registry" applies to probe specs only: a hook already belongs to its registry');
  }
  if (opts.load !== undefined) throw new HookError('ERR_INVALID_ARG', 'attach option "load" applies to probe specs only');
  const fn = observer.forHook(target);
  return target.register(fn, {
    armed,
    ...(opts.name !== undefined && { name: opts.name }),
    ...(opts.order !== undefined && { order: opts.order }),
  });
}
