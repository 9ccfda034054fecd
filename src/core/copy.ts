/**
 * Which copy of hookwire this is: the folder it runs from (its dist/, or src/ under a TypeScript
 * loader), found from this module's URL, which stays under that folder wherever the build's
 * bundler put the code (scripts/bundle.mjs). A core door of its own: the agent takes the registry
 * key without loading the core, and probe/own-files.ts finds hookwire's built files from the root.
 */
const here = import.meta.url;
const at = Math.max(here.lastIndexOf('/dist/'), here.lastIndexOf('/src/'));

/** The URL of the folder this copy runs from, with its trailing slash (outside dist/ and src/: this module's folder's parent). */
export const COPY_ROOT: string = at === -1 ? new URL('../', here).href : here.slice(0, here.indexOf('/', at + 1) + 1);

/**
 * The global symbol the default registry of this copy sits under (core/registry.ts): the agent
 * (control/agent.ts) lists the program's hooks in its summary without loading the core for a
 * program that never did (issue 8). Each copy of hookwire has its own.
 */
export const REGISTRY_KEY: unique symbol = Symbol.for(`hookwire.registry ${COPY_ROOT}`) as never;
