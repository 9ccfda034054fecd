/**
 * Where hookwire's own files are (the agent, the thread preload, the ES module hooks, the UI
 * page), from any of its modules. The package runs from dist/, where the build puts each entry
 * point at its own path and bundles the code the entries share into dist/chunks/
 * (scripts/bundle.mjs): a module's code may run from a file other than its own, so a path
 * relative to `import.meta.url` would depend on where the bundler put it. Paths here are relative
 * to dist/ instead. From src/ (the tests, under a TypeScript loader) they name the built files in
 * the dist/ beside it.
 */
const here = import.meta.url;

function distRoot(): string {
  const from = here.endsWith('.ts') ? '/src/' : '/dist/';
  const at = here.lastIndexOf(from);
  // Not under a src/ or dist/ folder (copied into another bundle): one folder below the root.
  return at === -1 ? new URL('../', here).href : `${here.slice(0, at)}/dist/`;
}

const DIST = distRoot();

/** The URL of `path` (relative to dist/, like `control/agent.js`) in this copy of hookwire. */
export function ownFile(path: string): URL {
  return new URL(path, DIST);
}
