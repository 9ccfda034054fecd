/**
 * The branches of a probe spec that need more than `require`: a source line (an inspector
 * breakpoint, read through source maps) and an ES module (the module hooks, the binding views
 * they hand over, the breakpoint path for exports loaded before a spec named them). loader.ts
 * takes them from here once given ({@link ESM_SPECS}): `hookwire/probe`, `hookwire/exits` and
 * the full control catalogue give them at once, the agent at the first spec that needs them
 * (`prepareProbeSpec`), so probing a CommonJS function loads none of this (issue 8).
 */
import { HookError } from '../core/index.ts';
import { attachLateExport, attachLine } from './breakpoint-site.ts';
import { preloadedBeforeHooks, scriptLoaded } from './breakpoint-session.ts';
import { esmRegistry, type EsmWatcher } from './esm-bindings.ts';
import { ensureEsmHooks, esmHooksCameLate } from './esm-install.ts';
import { builtin, hostProcess } from './host.ts';
import { attachTo, esmLoaderActive, requireFile, setPendingReason, type EsmSpecs } from './loader.ts';
import type { ProbeImpl } from './probe.ts';
import type { ProbeSpec } from './spec.ts';

/** The line and ES module branches, for `useEsmSpecs` (loader.ts). */
export const ESM_SPECS: EsmSpecs = Object.freeze({ attachLine, attachEsm });

/** Attaches `probe` to the export `parsed` names of the ES module at `file` (see `attachSpec`). */
function attachEsm(probe: ProbeImpl, parsed: ProbeSpec, file: string): void {
  const url = builtin('node:url')!.pathToFileURL(file).href;
  // The agent installs the hooks only now, for the first spec that names an ES module (esm-install.ts).
  if (!esmLoaderActive() && !ensureEsmHooks()) {
    // Loaded already (a program started without the loader): its exports go through the breakpoint path.
    if (scriptLoaded(url)) {
      lateEsModule(probe, parsed, url, file);
      return;
    }
    throw new HookError(
      'ERR_PROBE_LOADER',
      `probe spec "${parsed.spec}": ${parsed.module} is an ES module; probing ES module exports needs the loader (node --import hookwire/register)`,
    );
  }
  watchEsm(probe, parsed, url, file, true);
}

/**
 * Attaches `probe` to the ES module at `url` through the binding view its appended accessors
 * handed over (esm-bindings.ts): at once when it has run, else when it runs. A module the hooks
 * passed before any spec named it is a late ES module (lateEsModule). With `primary`, a failure
 * to attach now is thrown (nothing changed); later failures go to the registry's fault listeners.
 */
function watchEsm(probe: ProbeImpl, parsed: ProbeSpec, url: string, file: string, primary: boolean): void {
  const registry = esmRegistry();
  registry.fail = (code, message) => new HookError(code, message);
  registry.sync();
  const view = registry.views.get(url);
  if (view !== undefined) {
    attachTo(probe, parsed, view, primary);
    return;
  }
  // Unknown to the hooks: not loaded yet, or loaded by a preload that ran before them, or before
  // the agent installed them on demand (asked of the inspector only then: opening it costs tens of
  // milliseconds).
  if (registry.untouched.has(url) || ((preloadedBeforeHooks() || esmHooksCameLate()) && scriptLoaded(url))) {
    lateEsModule(probe, parsed, url, file);
    return;
  }
  const watcher: EsmWatcher = {
    bound: (v) => attachTo(probe, parsed, v, false),
    late: () => lateEsModule(probe, parsed, url, file),
  };
  probe._cleanups.push(registry.watch(url, watcher));
}

/**
 * The late ES module branch: the module at `url` was loaded before any spec named it, so the
 * hooks left it untouched and its bindings cannot be replaced. A path below an export
 * (`Class.prototype.method`, `obj.fn`) names an object property, which needs no binding: the
 * probe attaches there through the module's namespace, taken from the module cache (a module
 * still evaluating, or with top-level await, is awaited instead, `pending` meanwhile). An export
 * itself (`#fn`) has no property to replace: it goes through the breakpoint path
 * (breakpoint-site.ts: an inspector breakpoint, handed over to the wrapper on the first call).
 */
function lateEsModule(probe: ProbeImpl, parsed: ProbeSpec, url: string, file: string): void {
  if (probe.status === 'removed') return;
  const ns = cachedNamespace(file);
  const attachNow =
    parsed.path.length === 1 ? (n: unknown) => attachLateExport(probe, parsed, n, file) : (n: unknown) => attachTo(probe, parsed, n, false);
  if (ns !== undefined) {
    attachLate(probe, attachNow, ns);
    return;
  }
  setPendingReason(probe, `${parsed.module} was loaded before a spec named it: waiting for its namespace`);
  import(url).then(
    (namespace: unknown) => {
      if (probe.status !== 'removed') attachLate(probe, attachNow, namespace);
    },
    (error: unknown) => probe._opts.registry._reportFault(probe.hook, probe.name, error),
  );
}

/** Runs a late attach; a failure is the probe's fault to report (the spec was accepted). */
function attachLate(probe: ProbeImpl, attachNow: (ns: unknown) => void, ns: unknown): void {
  try {
    attachNow(ns);
  } catch (error) {
    probe._opts.registry._reportFault(probe.hook, probe.name, error);
  }
}

/**
 * The namespace of an ES module that has finished evaluating, synchronously (require of an ES
 * module, Node >= 20.19), or undefined where that is not possible.
 */
function cachedNamespace(file: string): unknown {
  const features = (hostProcess() as { features?: { require_module?: boolean } } | undefined)?.features;
  if (features?.require_module !== true) return undefined;
  try {
    return requireFile(file);
  } catch {
    return undefined;
  }
}
