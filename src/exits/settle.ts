/**
 * Waiting for a thenable that a non-async function returned, without changing it: the one rule
 * the exits that time a call (`latency`, `trace`) share. `then` is read once (a program's getter
 * runs once) and given two callbacks that never throw, so the program keeps the very same promise.
 * A side effect no observer can avoid: with a handler attached, a rejection the program drops is
 * no longer reported as unhandled.
 */
export function whenSettled(result: unknown, onSettled: (rejected: boolean, value: unknown) => void): boolean {
  if ((typeof result !== 'object' || result === null) && typeof result !== 'function') return false;
  let then: unknown;
  try {
    then = (result as { then?: unknown }).then;
  } catch {
    return false;
  }
  if (typeof then !== 'function') return false;
  let done = false;
  const settle = (rejected: boolean, value: unknown): void => {
    if (done) return;
    done = true;
    try {
      onSettled(rejected, value);
    } catch {
      // The observer's own failure: it counts its faults itself; nothing reaches the program.
    }
  };
  try {
    (then as (this: unknown, f: (v: unknown) => void, r: (e: unknown) => void) => unknown).call(
      result,
      (v) => settle(false, v),
      (e) => settle(true, e),
    );
  } catch {
    // A then() that throws at once: the call counts as returned.
    return done;
  }
  return true;
}
