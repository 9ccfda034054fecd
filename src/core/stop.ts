/**
 * Returned by an exit to end the current dispatch: no later exit runs this time
 * (GKHI's TERMINATE). Registered globally so that two copies of hookwire agree on it.
 */
export const STOP: unique symbol = Symbol.for('hookwire.stop') as never;

/** The type of {@link STOP}. */
export type Stop = typeof STOP;
