/**
 * The guard that keeps hookwire from observing itself, in a file of its own so that the agent and
 * the control server can mark their work without loading the probe engine (issue 8: the agent's
 * start). The wrappers (engine.ts and the compiled ones) raise and read the same counter.
 */

/**
 * Non-zero while probe handlers run: a call to any probed function in that time runs unprobed and
 * counts as `missed`. One counter for the whole process is exact, since handlers run synchronously.
 * Nothing between a raise and its lowering may throw, or every probe would stay switched off: each
 * handler call is in a try, and so is the fault() of its catch, since a stack overflow can strike
 * there too. The wrappers stay free of try/finally on their hot path.
 */
export const guard = { depth: 0, own: 0 };

/**
 * Runs `fn` as hookwire's own code (the agent, the control server): probed functions it calls run
 * unprobed and count nowhere, not even as `missed`, so hookwire never observes itself. For
 * synchronous work; what `fn` schedules for later runs unmarked.
 */
export function asHookwire<T>(fn: () => T): T {
  guard.depth++;
  guard.own++;
  try {
    return fn();
  } finally {
    guard.own--;
    guard.depth--;
  }
}
