import type { Dispatcher } from './compile/plan.ts';

/**
 * The objects a hook's `fire` and `enabled` live on. A hook inherits from its own *switch* object,
 * which never changes; arming sets the switch's prototype to a state: the idle one, or a fresh
 * armed one per change. The hook's hidden class therefore never changes, a site's feedback stays
 * monomorphic after any number of toggles, and each armed `fire` is a constant V8 can inline
 * (the measurements: ARCHITECTURE.md, "Why arming swaps a prototype (V8)").
 */

/** A state object: `fire` and `enabled` as read-only data properties over the facade's methods. */
export function stateProto(methods: object, fire: Dispatcher, enabled: boolean): object {
  return Object.create(methods, { fire: { value: fire }, enabled: { value: enabled } }) as object;
}

/**
 * Makes a new state object fast before it goes above a switch. V8 puts an object in dictionary
 * mode when it first becomes a prototype, and makes it fast again at an inline-cache miss on a
 * receiver below it; that walk stops at the first prototype already made fast (the switch), so a
 * state set above the switch would stay in dictionary mode, where no load from it is
 * constant-folded (15-20x slower sites). A miss on a throwaway receiver right below it does it.
 * The load only misses once its feedback has seen another map: hence the calls on `other` first
 * (also after V8 flushed this function's feedback).
 */
export function madeFast<T extends object>(proto: T): T {
  for (let k = 0; k < 10; k++) touch(other);
  Object.setPrototypeOf(below, proto);
  touch(below);
  Object.setPrototypeOf(below, null); // hold no dispatcher (and its exits) after this
  return proto;
}

const below: { fire?: unknown } = {};
const other: { fire?: unknown } = {};

function touch(o: { fire?: unknown }): unknown {
  return o.fire;
}
