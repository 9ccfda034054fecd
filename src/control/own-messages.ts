/**
 * The control server's own HTTP requests and responses, marked as Node makes them (own-emitter.ts),
 * so that channel sites can skip what Node publishes about them (exit-placement.ts). A file of its
 * own so that attaching an exit does not load node:http and the server (~3 ms) for a program that
 * may never serve (issue 8: the run's start).
 */
const own = new WeakSet<object>();

/** Marks `message` (a request or response the control server is handed) as hookwire's own. */
export function markOwnMessage(message: object): void {
  own.add(message);
}

/** Whether `message` is one of the control server's own requests or responses. */
export function isOwnMessage(message: unknown): boolean {
  return typeof message === 'object' && message !== null && own.has(message);
}
