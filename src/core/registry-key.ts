/**
 * The global symbol under which the default registry of this copy of hookwire sits
 * (core/registry.ts): the agent (control/agent.ts) lists the program's hooks in its summary without
 * loading the core for a program that never did (issue 8). Each copy of hookwire has its own: the
 * key names the folder the copy runs from (its dist/, or src/ under a TypeScript loader), which
 * stays the same wherever the build's bundler put this module's code.
 */
const here = import.meta.url;
const at = Math.max(here.lastIndexOf('/dist/'), here.lastIndexOf('/src/'));

export const REGISTRY_KEY: unique symbol = Symbol.for(`hookwire.registry ${at === -1 ? here : here.slice(0, here.indexOf('/', at + 1) + 1)}`) as never;
