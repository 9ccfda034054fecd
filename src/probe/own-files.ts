/**
 * Where hookwire's own files are (the agent, the thread preload, the ES module hooks, the UI
 * page), from any of its modules. The package runs from dist/, where the build puts each entry
 * point at its own path and bundles the code the entries share into dist/chunks/
 * (scripts/bundle.mjs): a module's code may run from a file other than its own, so a path
 * relative to `import.meta.url` would depend on where the bundler put it. Paths here are relative
 * to dist/ instead (the copy's root: core/copy.ts). From src/ (the tests, under a TypeScript
 * loader) they name the built files in the dist/ beside it.
 */
import { COPY_ROOT } from '../core/copy.ts';

const DIST = COPY_ROOT.endsWith('/src/') ? new URL('../dist/', COPY_ROOT).href : COPY_ROOT;

/** The URL of `path` (relative to dist/, like `control/agent.js`) in this copy of hookwire. */
export function ownFile(path: string): URL {
  return new URL(path, DIST);
}
