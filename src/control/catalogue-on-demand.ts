/**
 * The agent's exit catalogue: the catalogue of `hookwire/exits`, but each exit type is loaded
 * when a spec first names it (`prepare`, which the agent and the control server await before
 * building an observer), so a program that only counts calls never loads trace, span, publish or
 * assert, their sinks or their formats (issue 8).
 */
import type { Registry } from '../core/index.ts';
import { observerFromPreparedSpec, prepareExitSpec } from '../exits/exit-loaders.ts';
import type { Catalogue } from './catalogue.ts';
import { catalogueWith } from './exit-placement.ts';

export { flushLoadedFileSinks } from '../exits/exit-loaders.ts';

/** The catalogue with every exit type, each loaded at the first spec that names it. */
export function onDemandCatalogue(registry: Registry): Catalogue {
  return catalogueWith(registry, observerFromPreparedSpec, prepareExitSpec);
}
