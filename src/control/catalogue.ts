import type { AnyHook, Exit, Registry } from '../core/index.ts';
import type { Observer, TraceRecord } from '../exits/index.ts';
import { observerFromSpec } from '../exits/spec.ts';
import { ESM_SPECS } from '../probe/esm-specs.ts';
import type { Probe } from '../probe/index.ts';
import { useEsmSpecs } from '../probe/loader.ts';
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
   * Loads what {@link observer} and {@link attach} need for `spec` on `target`, for a catalogue
   * that loads exit types and probe branches on demand (the agent's, issue 8). Callers await it
   * before `observer`; it never rejects (a bad spec or target is refused by `observer` or
   * `attach`). A catalogue without it has everything loaded.
   */
  prepare?(spec: ExitSpec, target: string): Promise<void>;
}

/**
 * The real exit catalogue (`hookwire/exits`), the control layer's only door to it: observers from
 * JSON specs, trace records to the agent's stream, attached to hooks or probe specs. Every exit
 * type is loaded with it; the agent's own catalogue loads them on demand (catalogue-on-demand.ts).
 */
export function exitCatalogue(registry: Registry): Catalogue {
  // Probe specs of source lines and ES modules attach at once, without a prepare step.
  useEsmSpecs(ESM_SPECS);
  return catalogueWith(registry, observerFromSpec);
}
