import type { ThreadFleet } from './fleet.ts';

/**
 * The fleet of this process, when the agent made one (`span.ts`): what the in-process API
 * (`everywhere.ts`) works through. A module of its own so that the API can find it without
 * loading the agent.
 */
let current: ThreadFleet | undefined;

/** Records the fleet the agent made (once per process, in the main thread). */
export function setProcessFleet(fleet: ThreadFleet): void {
  current = fleet;
}

/** The fleet the agent made in this process, if it runs here. */
export function processFleet(): ThreadFleet | undefined {
  return current;
}
