/**
 * The seven hook kinds. A kind fixes how a dispatch combines its exits' returns:
 * - notify: exits run in order; STOP ends the dispatch; fire returns nothing.
 * - gate: the first exit returning a value (not undefined, not STOP) ends the dispatch; fire returns it.
 * - waterfall: each exit receives the current first argument and may return a replacement.
 * - parallel: all exits start together; fire resolves when all have settled.
 */
export type Combine = 'notify' | 'gate' | 'waterfall' | 'parallel';

export interface Kind {
  readonly name: KindName;
  readonly combine: Combine;
  readonly async: boolean;
}

export type KindName = 'hook' | 'gate' | 'waterfall' | 'asyncHook' | 'asyncGate' | 'asyncWaterfall' | 'parallelHook';

export const KINDS: Readonly<Record<KindName, Kind>> = {
  hook: { name: 'hook', combine: 'notify', async: false },
  gate: { name: 'gate', combine: 'gate', async: false },
  waterfall: { name: 'waterfall', combine: 'waterfall', async: false },
  asyncHook: { name: 'asyncHook', combine: 'notify', async: true },
  asyncGate: { name: 'asyncGate', combine: 'gate', async: true },
  asyncWaterfall: { name: 'asyncWaterfall', combine: 'waterfall', async: true },
  parallelHook: { name: 'parallelHook', combine: 'parallel', async: true },
};
