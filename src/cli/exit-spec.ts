import type { AttachRequest } from '../control/attachments.ts';
import { UsageError } from './args.ts';

/** Exit types a bare word may name (options need the JSON form). */
const TYPES = ['trace', 'count', 'latency', 'assert'];

/**
 * Parses an EXIT argument: a type name (`latency`), several (`trace,latency`), or a JSON spec
 * (`{"type":"trace","every":10}`). Returns one spec per exit.
 */
export function parseExits(text: string, what: string): Record<string, unknown>[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let spec: unknown;
    try {
      spec = JSON.parse(trimmed);
    } catch (error) {
      throw new UsageError(`${what}: the exit is not valid JSON (${(error as Error).message})`);
    }
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec) || typeof (spec as { type?: unknown }).type !== 'string') {
      throw new UsageError(`${what}: a JSON exit must be an object with a "type"`);
    }
    return [spec as Record<string, unknown>];
  }
  const words = trimmed.split(',').map((w) => w.trim());
  for (const word of words) {
    if (!TYPES.includes(word)) {
      throw new UsageError(`${what}: unknown exit "${word}" (use ${TYPES.join(', ')}, or a JSON spec like '{"type":"trace","every":10}')`);
    }
  }
  return words.map((type) => ({ type }));
}

/** `--probe SPEC[=EXIT]`: a probe spec (`module#path`) and its exits (default: latency). */
export function parseProbeOption(value: string): AttachRequest[] {
  const eq = value.indexOf('=', Math.max(0, value.indexOf('#')));
  const spec = eq === -1 ? value : value.slice(0, eq);
  const exits = eq === -1 ? 'latency' : value.slice(eq + 1);
  checkProbeSpec(spec, `--probe ${value}`);
  return parseExits(exits, `--probe ${value}`).map((exit) => ({ target: spec, exit }));
}

/** `--hook NAME[=EXIT]`: a hook the program declares, and its exits (default: count). */
export function parseHookOption(value: string): AttachRequest[] {
  const eq = value.indexOf('=');
  const name = eq === -1 ? value : value.slice(0, eq);
  const exits = eq === -1 ? 'count' : value.slice(eq + 1);
  checkHookName(name, `--hook ${value}`);
  return parseExits(exits, `--hook ${value}`).map((exit) => ({ target: name, exit }));
}

/** A probe spec is `module#property.path`. */
export function checkProbeSpec(spec: string, what: string): void {
  const hash = spec.indexOf('#');
  if (hash <= 0 || hash === spec.length - 1 || /\s/u.test(spec)) {
    throw new UsageError(`${what}: a probe spec is MODULE#PATH, like ./lib/db.js#Client.prototype.query or node:fs#readFileSync`);
  }
}

/** A hook name is namespaced `area:point`. */
export function checkHookName(name: string, what: string): void {
  if (!/^[^\s:]+:\S+$/u.test(name)) throw new UsageError(`${what}: a hook name looks like area:point`);
}
