/**
 * When the agent's control server starts: once the program's start is over (issue 8). The server
 * (node:http, a socket, its own code: ~7 ms) must not compete with the program's own loading. A
 * CommonJS program has loaded by its last line; an ES module program turns the event loop while
 * Node loads it, and a server started 20 ms after the first turn started in the middle of that
 * (an ES module program loading express, lodash and semver: 221.7 ms with the agent, 214.2 with
 * the control socket off, 203.9 plain). So the server starts at the first 20 ms window in which
 * the event loop was mostly idle, and after at most a second however busy the program stays.
 * Clients wait up to 2 s for a socket (agent-client.ts).
 */
import { asHookwire } from '../probe/own-code.ts';

/** The window: how often the loop's business is read, from the first turn on. */
const QUIET_WINDOW_MS = 20;
/** A window in which the loop was active for less than this share is quiet. */
const QUIET_BELOW = 0.5;
/** The latest the server starts after the first turn, however busy the program (counted in windows: later if the program holds the loop past them). */
const SERVE_BY_MS = 1000;

interface LoopUtilization {
  utilization: number;
}
/** `performance.eventLoopUtilization`: the loop's life so far, or (two readings) what lay between them. */
type Elu = (now?: LoopUtilization, before?: LoopUtilization) => LoopUtilization;

/**
 * Runs `start` once the event loop has had a quiet window after its first turn, or at
 * {@link SERVE_BY_MS}, never keeping the program alive itself. The first window ends
 * {@link QUIET_WINDOW_MS} after the first turn, which comes after a CommonJS program's last line;
 * the loop then turns once more for the ES module loader alone (it closes the last file it read),
 * which a timer due at once would take: the delay lets a program that ends at once end without
 * the server, and without reading the loop's business (`performance` loads Node's perf modules).
 */
export function whenQuiet(start: () => void): void {
  setImmediate(() => {
    let reading: LoopUtilization | undefined;
    let waited = 0;
    const check = (): void => {
      waited += QUIET_WINDOW_MS;
      // As hookwire's own: a probe on performance.eventLoopUtilization must not count these reads.
      const busy = asHookwire(() => {
        const elu = (globalThis as { performance?: { eventLoopUtilization?: Elu } }).performance?.eventLoopUtilization;
        if (typeof elu !== 'function') return false;
        // The first window: the loop's whole life so far; then each window since the last reading.
        const now = elu();
        const window = reading === undefined ? now : elu(now, reading);
        reading = now;
        return window.utilization >= QUIET_BELOW;
      });
      if (busy && waited < SERVE_BY_MS) setTimeout(check, QUIET_WINDOW_MS).unref();
      else start();
    };
    setTimeout(check, QUIET_WINDOW_MS).unref();
  }).unref();
}
