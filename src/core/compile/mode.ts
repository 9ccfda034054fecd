/**
 * Whether dispatchers are compiled with `new Function` (fastest) or built from closures (for
 * runtimes that forbid code generation: CSP pages, some edge runtimes). Detected once, on first use.
 */
let codegen: boolean | undefined;

/** true when dispatchers are generated as code. */
export function codeGenerationEnabled(): boolean {
  if (codegen === undefined) codegen = detect();
  return codegen;
}

/**
 * Forces the compile mode (`false`: never call `new Function`), or `'auto'` to detect again.
 * Applies to dispatchers compiled from now on; call it before arming anything.
 */
export function setCodeGeneration(mode: boolean | 'auto'): void {
  codegen = mode === 'auto' ? undefined : mode === true ? detect() : false;
}

function detect(): boolean {
  try {
    return (new Function('return 1') as () => unknown)() === 1;
  } catch {
    return false;
  }
}
