import type { ThreadFleet } from './fleet.ts';
import type { MainLink } from './link.ts';

/**
 * The fleet of this process, when the agent runs here (`span.ts` opens its link at start): what
 * the agent's attachments and the in-process API (`everywhere.ts`) work through. A module of its
 * own so that the API can find it without loading the agent. The fleet is made from the link at
 * its first use, loading fleet.ts then (issue 8: a program nothing is attached to never loads it).
 */
let opened: { readonly link: MainLink; readonly timeoutMs: number } | undefined;
let making: Promise<ThreadFleet> | undefined;
let made: ThreadFleet | undefined;

/** Records the link the agent opened (once per process, in the main thread). */
export function setProcessLink(link: MainLink, timeoutMs: number): void {
  opened = { link, timeoutMs };
}

/** The fleet of this process, made on first call; undefined when the agent does not run here. */
export function processFleet(): Promise<ThreadFleet> | undefined {
  const at = opened;
  if (at === undefined) return undefined;
  return (making ??= import('./fleet.ts').then(({ ThreadFleet }) => (made = new ThreadFleet(at.timeoutMs, at.link))));
}

/** The fleet if it was made already (at exit: none made, nothing to collect). */
export function madeFleet(): ThreadFleet | undefined {
  return made;
}
