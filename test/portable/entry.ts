// Runs one core test file inside a bundle (run.mjs makes one bundle per file, so each file starts
// from fresh module state, as it does under node --test). The run's configuration comes from
// globalThis.__HOOKWIRE_PORTABLE__, set by a small module loaded first. Every result is one console
// line, `@@hookwire-portable {json}`, which run.mjs reads from stdout or the browser console.
import { codeGenerationEnabled } from '../../src/core/index.ts';
import { beginRegistration, describeError, runRegistered, type Outcome } from './node-test.ts';
import { setEnv, takeStray, trackStrayErrors } from './process.ts';

/** What run.mjs passes to a run. */
export interface PortableConfig {
  /** The environment the tests see (HOOKWIRE_CODEGEN, …). */
  env: Record<string, string>;
  /** Apply test/setup.ts (which forces the compile mode), or leave the mode to detection (the CSP run). */
  setup: boolean;
}

const PREFIX = '@@hookwire-portable ';

function emit(event: Record<string, unknown>): void {
  console.log(PREFIX + JSON.stringify(event));
}

/** The host, as a short text for the report. */
function runtime(): string {
  const g = globalThis as { Deno?: { version: { deno: string; v8: string } }; Bun?: { version: string }; navigator?: { userAgent?: string } };
  if (g.Deno !== undefined) return `Deno ${g.Deno.version.deno} (V8 ${g.Deno.version.v8})`;
  if (g.Bun !== undefined) return `Bun ${g.Bun.version}`;
  return g.navigator?.userAgent ?? 'unknown';
}

/** Whether this page or runtime lets code be generated from strings (a CSP without 'unsafe-eval' does not). */
function evalAllowed(): boolean {
  try {
    return new Function('return 1')() === 1;
  } catch {
    return false;
  }
}

export async function runFile(file: string, load: () => Promise<unknown>, setup: () => Promise<unknown>): Promise<void> {
  let passed = 0;
  let failed = 0;
  try {
    const config = (globalThis as { __HOOKWIRE_PORTABLE__?: PortableConfig }).__HOOKWIRE_PORTABLE__;
    if (config === undefined) throw new Error("no globalThis.__HOOKWIRE_PORTABLE__: load the run's configuration module first");
    setEnv(config.env);
    trackStrayErrors();
    emit({ t: 'start', file, runtime: runtime(), evalAllowed: evalAllowed() });
    if (config.setup) await setup();
    beginRegistration(file);
    await load();
    await runRegistered((o: Outcome) => {
      if (o.ok) passed++;
      else failed++;
      emit({ t: 'test', file, ...o });
    }, takeStray);
    // whatever went wrong after the last test still fails the file
    const late = takeStray();
    if (late !== undefined) {
      failed++;
      emit({ t: 'error', file, error: describeError(late) });
    }
    emit({ t: 'done', file, passed, failed, codegen: codeGenerationEnabled() });
  } catch (error) {
    emit({ t: 'error', file, error: describeError(error) });
    emit({ t: 'done', file, passed, failed: failed + 1, codegen: null });
  }
}
