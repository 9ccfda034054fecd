/**
 * Counting done by the wrapper itself. An exit that only counts calls and thrown calls (the
 * catalogue's `count`) puts a {@link TALLY} function on its handlers object: when its probe is
 * armed, the wrapper increments the tally's counters in place of calling the handlers, so a
 * counted call costs two increments (and a catch on the throw path) instead of three handler calls
 * and a context object. The handlers stay for wrappers that run them (none today), and the symbol
 * is hookwire's own: a program's handlers cannot ask for it.
 */

/** The counters the wrapper increments for one probed function: calls entered and calls that threw. */
export interface Tally {
  hits: number;
  errors: number;
}

/**
 * Key of a handlers object's tally provider: `(hookName) => Tally`, called when the wrapper is built
 * (never on a call) for each probed function, so counts are kept per site as the exit reports them.
 */
export const TALLY: unique symbol = Symbol('hookwire.tally');

/** A handlers object that counts through the wrapper. */
export interface TallyProvider {
  readonly [TALLY]: (hookName: string) => Tally;
}

/** The tally `handlers` asks for at `hookName`, or undefined (no provider, or it failed: the handlers are run instead). */
export function tallyOf(handlers: object, hookName: string): Tally | undefined {
  try {
    const provide = (handlers as Partial<TallyProvider>)[TALLY];
    if (typeof provide !== 'function') return undefined;
    const tally = provide(hookName);
    return typeof tally === 'object' && tally !== null && typeof tally.hits === 'number' && typeof tally.errors === 'number' ? tally : undefined;
  } catch {
    return undefined;
  }
}
