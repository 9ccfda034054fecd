import { compileWithClosures } from './closures.ts';
import { compileWithCodegen, generateSource, type FactoryCache } from './codegen.ts';
import { codeGenerationEnabled } from './mode.ts';
import type { Dispatcher, DispatchPlan } from './plan.ts';

export type { FactoryCache } from './codegen.ts';
export { codeGenerationEnabled } from './mode.ts';

/**
 * Builds the dispatcher for a plan in the current compile mode. `cache` belongs to one hook: it
 * keeps that hook's compiled factories by armed-exit count, so re-arming costs a call, not a compile.
 */
export function compileDispatcher(plan: DispatchPlan, cache: FactoryCache): Dispatcher {
  return codeGenerationEnabled() ? compileWithCodegen(plan, cache) : compileWithClosures(plan);
}

/** The source a plan's dispatcher stands for (made on demand, for `source()`). */
export function dispatcherSource(plan: DispatchPlan): string {
  const source = generateSource(plan);
  if (codeGenerationEnabled()) return source;
  return `// code generation is unavailable: this hook runs an equivalent closure dispatcher\n${source}`;
}
