import { HookError, type AnyHook, type Registry } from '../core/index.ts';
import { isHookName } from '../core/internal.ts';
import { parseChannelName } from '../exits/channel-site.ts';
import { isProbeSpecText } from '../probe/spec.ts';

/**
 * Where an attach request's target points: a declared hook, a probe spec, or a channel site
 * (`dc:`/`tracing:`, attached by name through the catalogue; listed as a hook, which it is).
 */
export type ResolvedTarget = { kind: 'hook'; hook: AnyHook } | { kind: 'probe'; spec: string } | { kind: 'channel'; spec: string };

/**
 * Resolves an attach target: `probe:<spec>` is a probe spec; a declared hook's name is that hook;
 * otherwise a `module#path` or a `file:line` is a probe spec. A hook name not declared yet is null with
 * `allowPending` (the caller attaches it once the program declares it) and ERR_NOT_FOUND without.
 */
export function resolveTarget(registry: Registry, target: string, allowPending: boolean): ResolvedTarget | null {
  // A channel site declares its own hook when attached, so it is never pending.
  if (parseChannelName(target) !== undefined) return { kind: 'channel', spec: target };
  if (target.startsWith('probe:')) return { kind: 'probe', spec: target.slice('probe:'.length) };
  const hook = registry.get(target);
  if (hook !== undefined) return { kind: 'hook', hook };
  if (isProbeSpecText(target)) return { kind: 'probe', spec: target };
  if (allowPending && isHookName(target)) return null;
  throw new HookError(
    'ERR_NOT_FOUND',
    `no hook named "${target}" is declared (a probe target is a spec like "./lib/db.js#query", "node:fs#readFileSync" or "./lib/db.mjs:42")`,
  );
}
