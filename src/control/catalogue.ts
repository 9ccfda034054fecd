import type { AnyHook, Exit, Registry } from '../core/index.ts';
import type { Observer, TraceRecord } from '../exits/index.ts';
import { observerFromSpec } from '../exits/spec.ts';
import type { Probe } from '../probe/index.ts';
import { catalogueWith } from './exit-placement.ts';
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
  /**
   * Loads what {@link observer} needs for `spec`, for a catalogue that loads its exit types on
   * demand (the agent's, issue 8). Callers await it before `observer`; it never rejects (a bad
   * spec is refused by `observer`). A catalogue without it builds every type at once.
   */
  prepare?(spec: ExitSpec): Promise<void>;
}

/**
 * The real exit catalogue (`hookwire/exits`), the control layer's only door to it: observers from
 * JSON specs, trace records to the agent's stream, attached to hooks or probe specs. Every exit
 * type is loaded with it; the agent's own catalogue loads them on demand (catalogue-on-demand.ts).
 */
export function exitCatalogue(registry: Registry): Catalogue {
  return catalogueWith(registry, observerFromSpec);
}
