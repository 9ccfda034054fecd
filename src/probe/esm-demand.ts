/**
 * The agent's two switches of the ES module hooks (esm-install.ts), in a file of their own so that
 * setting them loads none of the hooks' code (issue 8: the agent's start). They live on the global
 * object, like the rest of the hooks' state, so every copy of hookwire in a thread agrees.
 */

/** Set once the ES module hooks are installed in this thread (esm-install.ts). */
export const REGISTERED = Symbol.for('hookwire.register');
/** Set by the agent: install the hooks when a spec first needs them. */
export const ON_DEMAND = Symbol.for('hookwire.register.on-demand');
/** Set by the agent once the program's own code runs: hooks installed after that came late. */
export const STARTED = Symbol.for('hookwire.register.program-started');

const flags = globalThis as Record<symbol, unknown>;

/** The agent's choice: no hooks at start, installed by the first spec that names an ES module. */
export function installEsmHooksOnDemand(): void {
  flags[ON_DEMAND] = true;
}

/** The agent's start is over and the program's code runs: hooks installed from now on come late. */
export function markProgramStarted(): void {
  flags[STARTED] = true;
}
