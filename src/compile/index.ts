import { compileWithClosures } from './closures.ts';
import { compileWithCodegen, generateSource } from './codegen.ts';
import { codeGenerationEnabled } from './mode.ts';
import type { Dispatcher, DispatchPlan } from './plan.ts';

/** Builds the dispatcher for a plan in the current compile mode, with the source it stands for. */
export function compileDispatcher(plan: DispatchPlan): { fire: Dispatcher; source: string } {
  const source = generateSource(plan);
  if (codeGenerationEnabled()) return { fire: compileWithCodegen(plan, source), source };
  return {
    fire: compileWithClosures(plan),
    source: `// code generation is unavailable: this hook runs an equivalent closure dispatcher\n${source}`,
  };
}
