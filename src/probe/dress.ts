/**
 * Makes a boosted wrapper look like its original: same `name` and `length` descriptors, the same
 * prototype link (so an async function's wrapper is still `instanceof AsyncFunction`), the same
 * `prototype` object (so `instanceof` and `new` keep working), and the original's other own
 * properties as accessors that read and write the original (so state stays on the original and
 * survives removal). Returns the keys it forwarded.
 */
export function dress(wrapper: Function, orig: Function): Set<PropertyKey> {
  const forwarded = new Set<PropertyKey>();
  for (const key of Reflect.ownKeys(orig)) {
    const desc = Reflect.getOwnPropertyDescriptor(orig, key)!;
    if (key === 'name' || key === 'length') {
      Reflect.defineProperty(wrapper, key, desc);
      continue;
    }
    if (key === 'prototype') {
      const mine = Reflect.getOwnPropertyDescriptor(wrapper, 'prototype');
      if (mine === undefined || mine.configurable) Reflect.defineProperty(wrapper, 'prototype', desc);
      else {
        (wrapper as { prototype: unknown }).prototype = desc.value;
        if (desc.writable === false) Reflect.defineProperty(wrapper, 'prototype', { writable: false });
      }
      continue;
    }
    if (key === 'arguments' || key === 'caller') continue;
    forwarded.add(key);
    Reflect.defineProperty(wrapper, key, {
      get: (): unknown => Reflect.get(orig, key),
      set: (value: unknown) => {
        Reflect.set(orig, key, value);
      },
      enumerable: desc.enumerable ?? false,
      configurable: true,
    });
  }
  if (!Reflect.ownKeys(orig).includes('name')) Reflect.deleteProperty(wrapper, 'name');
  Object.setPrototypeOf(wrapper, Object.getPrototypeOf(orig) as object | null);
  if (!Object.isExtensible(orig)) Object.preventExtensions(wrapper);
  return forwarded;
}

/**
 * When a wrapper retires: own properties the program added to it (not forwarded ones) move to the
 * original, so nothing the program wrote is lost when the original comes back.
 */
export function undress(wrapper: Function, orig: Function, forwarded: ReadonlySet<PropertyKey>): void {
  for (const key of Reflect.ownKeys(wrapper)) {
    if (forwarded.has(key) || key === 'name' || key === 'length' || key === 'prototype') continue;
    if (Reflect.getOwnPropertyDescriptor(orig, key) !== undefined) continue;
    const desc = Reflect.getOwnPropertyDescriptor(wrapper, key)!;
    Reflect.defineProperty(orig, key, desc);
  }
}
