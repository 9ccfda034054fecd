/**
 * The child process that checks probe specs naming ES modules before `hookwire run`/`trace`
 * starts the program: `node spec-check.js '["./lib.mjs#f", …]'`, run in the program's working
 * directory (control/check-spec.ts). Importing runs the module's top-level code, which is why it
 * happens here, in a throwaway process, and never in the program (before its own first import)
 * or in the CLI. CommonJS specs are checked by the program's agent, which requires them anyway.
 * One JSON line per spec goes to file descriptor 3: `{ "error": "…" }` for a spec that cannot
 * work, `{ "ok": true }`, or `{ "unchecked": "…" }` when the module could not be loaded on its
 * own (the agent will tell at run time).
 */
import { writeSync } from 'node:fs';
import { checkSpec } from '../control/check-spec.ts';

export type { SpecCheck } from '../control/check-spec.ts';

const specs = JSON.parse(process.argv[2] ?? '[]') as string[];
for (const spec of specs) writeSync(3, `${JSON.stringify(await checkSpec(spec))}\n`);
// The modules loaded may hold the event loop open (a server, a timer): the answers are out.
process.exit(0);
