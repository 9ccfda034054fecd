/**
 * The agent's exit catalogue: the catalogue of `hookwire/exits`, but each exit type is loaded
 * when a spec first names it, and the probe loader's line and ES module branches when a target
 * first needs them (`prepare`, which the agent and the control server await before building an
 * observer). A program that counts calls of a CommonJS function never loads trace, span, publish
 * or assert, their sinks or formats, the ES module hooks or the inspector session (issue 8).
 */
import type { Registry } from '../core/index.ts';
import { observerFromPreparedSpec, prepareExitSpec } from '../exits/exit-loaders.ts';
import { prepareProbeSpec } from '../probe/loader.ts';
import { isProbeSpecText } from '../probe/spec.ts';
import type { Catalogue } from './catalogue.ts';
import { catalogueWith } from './exit-placement.ts';

export { flushLoadedFileSinks } from '../exits/exit-loaders.ts';

/** The catalogue with every exit type, each loaded at the first spec that names it. */
export function onDemandCatalogue(registry: Registry): Catalogue {
  return catalogueWith(registry, observerFromPreparedSpec, async (spec, target) => {
    await Promise.all([prepareExitSpec(spec), isProbeSpecText(target) ? prepareProbeSpec(target) : undefined]);
  });
}
