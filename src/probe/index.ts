/**
 * hookwire/probe: dynamic probes. Put exits on any function or method at run time (kprobes for
 * JavaScript): a probed function becomes a hook in the registry (`probe:<target>`), its probes are
 * that hook's exits, and the wrapper installed in its place is compiled for exactly the armed
 * probes (the kprobe-booster's prepared fast path). Removing the last probe restores the
 * original property descriptor exactly.
 */
import { HookError } from '../core/index.ts';
import { describe } from '../core/internal.ts';
import { describeFunction } from './classify.ts';
import { ProbeImpl, checkHandlers, checkOptions, labelOf } from './probe.ts';
import { ESM_SPECS } from './esm-specs.ts';
import { useEsmSpecs } from './loader.ts';
import type { Probe, ProbeHandlers, ProbeOptions, TargetDescription } from './types.ts';

export { ProbeContext } from './context.ts';
export { probeSpec } from './probe-spec.ts';
export { parseProbeSpec, type ProbeSpec } from './spec.ts';
export type { EnterOverride, Probe, ProbeHandlers, ProbeOptions, ProbeSpecOptions, ProbeStats, TargetDescription, TargetKind } from './types.ts';

// Through this door, specs of source lines and ES modules attach synchronously like any other:
// their branches are loaded with it (the agent loads them only for a spec that needs them).
useEsmSpecs(ESM_SPECS);

/**
 * Describes a function, or what a probe is on. For a function: its kind (plain, method, arrow,
 * async, generator, asyncGenerator, class, bound, native), its arity, and whether a probe on it
 * gets the boosted wrapper, and if not, why. For a probe: the same for the function its wrapper
 * replaced (`via: 'wrapper'`), or, for a probe on the breakpoint path (a source line, an ES module
 * export loaded before any spec named it), `kind: 'breakpoint'`, where it is, why it has no
 * wrapper and its cost per hit (`via: 'breakpoint'`).
 *
 * Throws HookError ERR_INVALID_ARG for anything else, and for a probe that is pending or removed
 * (it is on nothing yet, or any more).
 */
export function describeTarget(target: Function | Probe): TargetDescription {
  if (target instanceof ProbeImpl) {
    const site = target._parts[0]?.site;
    if (site === undefined) throw new HookError('ERR_INVALID_ARG', `describeTarget: probe "${target.name}" is ${target.status}: it is on no target`);
    if ('orig' in site) return { ...describeFunction(site.orig as Function), via: 'wrapper' };
    const meta = (site as { meta?: Record<string, string | number | boolean> }).meta ?? {};
    return {
      kind: 'breakpoint',
      name: String(meta['breakpoint'] ?? target.hook),
      arity: 0,
      boosted: false,
      reason: String(meta['reason'] ?? 'reached through an inspector breakpoint'),
      via: 'breakpoint',
      costPerHit: String(meta['cost'] ?? ''),
    };
  }
  if (typeof target !== 'function') throw new HookError('ERR_INVALID_ARG', `describeTarget needs a function or a probe, got ${describe(target)}`);
  return describeFunction(target);
}

/**
 * Probes `target[key]` (own or inherited; for accessors, its getter or setter). The handlers run
 * around every call while the probe is armed (default: armed at once).
 *
 * ```ts
 * const p = probe(db.Client.prototype, 'query', {
 *   onEnter(ctx) { ctx.data.t = performance.now(); },
 *   onLeave(ctx, result) { console.log('query took', performance.now() - ctx.data.t); },
 * });
 * p.remove(); // db.Client.prototype.query is the original again
 * ```
 *
 * Throws HookError (nothing changed): ERR_PROBE_TARGET (no such property, not a function,
 * non-configurable read-only, already probed in another registry), ERR_INVALID_ARG (bad
 * handlers or options), ERR_HOOK_ORDER / ERR_HOOK_SEALED (as for exits).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a probe takes any function: `unknown` parameters would refuse typed ones (contravariance)
export function probe<F extends (...args: any[]) => any = (...args: any[]) => any>(
  target: object,
  key: PropertyKey,
  handlers: ProbeHandlers<Parameters<F>, ReturnType<F>>,
  options?: ProbeOptions,
): Probe {
  const checkedHandlers = checkHandlers(handlers);
  const opts = checkOptions(options);
  const label = `${labelOf(target)}.${String(key)}`;
  const p = new ProbeImpl(checkedHandlers, opts, `probe:${label}`);
  p.attach(target, key, label, label);
  return p;
}
