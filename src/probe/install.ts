import { HookError } from '../core/index.ts';
import { intrinsicName } from './intrinsics.ts';

/** Which function of a property a probe replaces. */
export type SlotRole = 'value' | 'get' | 'set';

/**
 * One place a probe's wrapper is installed: a property of an object, with its original descriptor
 * saved so removal restores it exactly (or deletes the own property the probe added when the
 * function was inherited).
 */
export interface Slot {
  readonly target: object;
  readonly key: PropertyKey;
  readonly role: SlotRole;
  /** The own descriptor before the probe, or undefined when the property was inherited. */
  readonly saved: PropertyDescriptor | undefined;
  /** The descriptor the slot's function came from (own or inherited). */
  readonly found: PropertyDescriptor;
  /** The function the slot held. */
  readonly fn: Function;
  /** The wrapper currently installed, or null while the original is in place. */
  installed: Function | null;
  /** Set once someone else replaced our wrapper: we never write this slot again. */
  lost: boolean;
  /**
   * When the slot held a wrapper of ours (a copy taken while probed, e.g. by an ESM namespace),
   * restoring puts the original function there instead of that wrapper.
   */
  restoreFn: Function | undefined;
  /** Called after every write (builtin modules resync their ESM exports here). */
  readonly after: (() => void) | undefined;
}

/** The descriptor of `key` on `target` or the first prototype that has it, and that object (nothing is read through a getter). */
export function findProperty(target: object, key: PropertyKey): { owner: object | null; found: PropertyDescriptor | undefined } {
  let owner: object | null = target;
  while (owner !== null) {
    const found = Reflect.getOwnPropertyDescriptor(owner, key);
    if (found !== undefined) return { owner, found };
    owner = Reflect.getPrototypeOf(owner);
  }
  return { owner: null, found: undefined };
}

/**
 * Finds the function at `target[key]` (own or inherited), checks a probe can replace it and put
 * it back, and returns the slot (nothing is changed). Throws ERR_PROBE_TARGET with the reason.
 */
export function openSlot(target: unknown, key: PropertyKey, accessor: 'get' | 'set' | undefined, label: string, after?: () => void): Slot {
  if ((typeof target !== 'object' && typeof target !== 'function') || target === null) {
    throw new HookError('ERR_PROBE_TARGET', `cannot probe ${label}: the target is ${target === null ? 'null' : typeof target}, not an object`);
  }
  if (Object.prototype.toString.call(target) === '[object Module]' && !Object.isExtensible(target)) {
    throw new HookError(
      'ERR_PROBE_TARGET',
      `cannot probe ${label}: an ES module namespace is read-only; probe it by spec (probeSpec) under node --import hookwire/register`,
    );
  }
  const { owner, found } = findProperty(target, key);
  if (found === undefined) throw new HookError('ERR_PROBE_TARGET', `cannot probe ${label}: no such property`);
  const own = owner === target;
  let role: SlotRole;
  let fn: unknown;
  if ('value' in found || !('get' in found || 'set' in found)) {
    if (accessor !== undefined) {
      throw new HookError('ERR_INVALID_ARG', `cannot probe ${label}: option "accessor" is for accessor properties, and this is a data property`);
    }
    role = 'value';
    fn = found.value;
  } else {
    role = accessor ?? (found.get !== undefined ? 'get' : 'set');
    fn = role === 'get' ? found.get : found.set;
    if (fn === undefined) throw new HookError('ERR_PROBE_TARGET', `cannot probe ${label}: the accessor has no ${role}ter`);
  }
  if (typeof fn !== 'function') {
    throw new HookError('ERR_PROBE_TARGET', `cannot probe ${label}: it is ${fn === null ? 'null' : typeof fn}, not a function`);
  }
  const builtin = intrinsicName(fn);
  if (builtin !== undefined) {
    throw new HookError(
      'ERR_PROBE_TARGET',
      `cannot probe ${label}: it is the JavaScript built-in ${builtin}, and hookwire's own code calls built-ins (a probe there would run inside hookwire); probe the program's function that calls it instead`,
    );
  }
  if (own) {
    if (!found.configurable && !(role === 'value' && found.writable)) {
      throw new HookError(
        'ERR_PROBE_TARGET',
        `cannot probe ${label}: the property is non-configurable${role === 'value' ? ' and read-only (frozen?)' : ''}`,
      );
    }
  } else if (!Object.isExtensible(target)) {
    throw new HookError('ERR_PROBE_TARGET', `cannot probe ${label}: it is inherited and the object is not extensible`);
  }
  return { target, key, role, saved: own ? found : undefined, found, fn, installed: null, lost: false, restoreFn: undefined, after };
}

/** What the slot's property holds now (the value, getter or setter), or undefined. */
export function slotHolds(slot: Slot): unknown {
  const desc = Reflect.getOwnPropertyDescriptor(slot.target, slot.key);
  if (desc === undefined) return slot.saved === undefined ? slot.fn : undefined;
  return slot.role === 'value' ? desc.value : slot.role === 'get' ? desc.get : desc.set;
}

/** Puts `fn` in the slot in place of what is there. Returns false if the property refused. */
export function writeSlot(slot: Slot, fn: Function): boolean {
  const base = slot.saved ?? { ...slot.found, configurable: true };
  let ok: boolean;
  if (slot.role === 'value') {
    if (slot.saved !== undefined && !slot.saved.configurable) ok = Reflect.set(slot.target, slot.key, fn);
    else ok = Reflect.defineProperty(slot.target, slot.key, { ...base, value: fn });
  } else {
    ok = Reflect.defineProperty(slot.target, slot.key, { ...base, [slot.role]: fn });
  }
  if (ok) {
    slot.installed = fn;
    slot.after?.();
  }
  return ok;
}

/** Restores the slot's original descriptor exactly (or removes the property the probe added). */
export function restoreSlot(slot: Slot): void {
  const saved = slot.saved === undefined || slot.restoreFn === undefined ? slot.saved : { ...slot.saved, [slot.role]: slot.restoreFn };
  if (saved === undefined) Reflect.deleteProperty(slot.target, slot.key);
  else if (!saved.configurable) Reflect.set(slot.target, slot.key, saved.value);
  else Reflect.defineProperty(slot.target, slot.key, saved);
  slot.installed = null;
  slot.after?.();
}
