/**
 * The exit types loaded on demand, for the agent (issue 8): a program that counts calls loads the
 * count exit, not trace, span, publish, assert and their sinks and formats. ES modules cannot be
 * loaded synchronously, and an observer is built synchronously, so building is two steps:
 * {@link prepareExitSpec} loads the type a spec names (awaited before attaching), then
 * {@link observerFromPreparedSpec} builds it exactly as `observerFromSpec` does. Every import here
 * names its module literally: nothing is loaded by a name a spec gives.
 */
import { HookError } from '../core/index.ts';
import { parseExitSpec } from './exit-spec.ts';
import type { Observer, ObserverType } from './observer.ts';
import { buildObserver, type ExitMakers, type SpecDefaults } from './spec-build.ts';

/** How each type's factory is loaded. */
const LOADERS: { readonly [K in ObserverType]: () => Promise<ExitMakers[K]> } = {
  count: async () => (await import('./count.ts')).count,
  latency: async () => (await import('./latency.ts')).latency,
  trace: async () => {
    const [{ trace }, sinks] = await Promise.all([import('./trace.ts'), import('./sinks.ts')]);
    fileSinks = sinks;
    return trace;
  },
  span: async () => (await import('./span.ts')).span,
  publish: async () => (await import('./publish.ts')).publish,
  assert: async () => (await import('./assert.ts')).assert,
};

const loaded: { -readonly [K in ObserverType]?: ExitMakers[K] } = {};
const loading: { -readonly [K in ObserverType]?: Promise<unknown> } = {};
/** Why the last load of a type failed (its module missing: hookwire changed on disk), until one succeeds. */
const failed: { -readonly [K in ObserverType]?: string } = {};

/** The trace exit's sinks, once a trace spec was prepared (the only exit that opens trace files). */
let fileSinks: { flushFileSinks(): void } | undefined;

/**
 * Loads the exit type `spec` names, if it names one; resolves once it is loaded. Never rejects:
 * a bad spec is refused, with its reason, by {@link observerFromPreparedSpec}.
 */
export async function prepareExitSpec(spec: unknown): Promise<void> {
  let type: ObserverType;
  try {
    type = parseExitSpec(spec).type;
  } catch {
    return;
  }
  if (loaded[type] !== undefined) return;
  const load = LOADERS[type] as () => Promise<never>;
  await (loading[type] ??= load().then(
    (maker) => {
      loaded[type] = maker;
      delete failed[type];
    },
    (error: unknown) => {
      // Reported when the observer is built; the next prepare tries again.
      failed[type] = (error instanceof Error ? error.message : String(error)).split('\n')[0];
      delete loading[type];
    },
  ));
}

/** The factories, each refused until {@link prepareExitSpec} loaded it; read only for a checked spec. */
const PREPARED: ExitMakers = Object.freeze({
  get count() {
    return maker('count');
  },
  get latency() {
    return maker('latency');
  },
  get trace() {
    return maker('trace');
  },
  get span() {
    return maker('span');
  },
  get publish() {
    return maker('publish');
  },
  get assert() {
    return maker('assert');
  },
});

/**
 * `observerFromSpec` for a spec {@link prepareExitSpec} prepared. Throws what `observerFromSpec`
 * throws, ERR_INVALID_ARG for a valid spec whose type was not prepared, and ERR_INTERNAL with the
 * reason for one whose module failed to load.
 */
export function observerFromPreparedSpec(spec: unknown, defaults?: SpecDefaults): Observer {
  return buildObserver(spec, defaults, PREPARED);
}

/** Writes out what the trace files opened so far have buffered (nothing when no trace was prepared). */
export function flushLoadedFileSinks(): void {
  fileSinks?.flushFileSinks();
}

function maker<K extends ObserverType>(type: K): ExitMakers[K] {
  const found = loaded[type];
  const why = failed[type];
  if (found === undefined && why !== undefined) {
    throw new HookError('ERR_INTERNAL', `the ${type} exit could not be loaded: ${why} (were hookwire's files changed under the running program?)`);
  }
  if (found === undefined) throw new HookError('ERR_INVALID_ARG', `the ${type} exit is not loaded: prepare its spec first (prepareExitSpec)`);
  return found;
}
