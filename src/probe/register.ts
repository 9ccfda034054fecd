/**
 * `node --import hookwire/register app.js`: installs the module hooks that make ES module exports
 * probe-able by spec (`probeSpec('./lib/db.mjs#query')`), including modules loaded after the probe
 * was set. Only a module whose URL a spec names is touched (esm-hooks.ts): every other module
 * loads exactly as without hookwire. Node >= 22.15 runs the hooks in this thread
 * (`module.registerHooks`); Node 20 on its hooks thread (`module.register`), told the named URLs
 * over a MessagePort (esm-install.ts). CommonJS needs no loader: the probe layer watches
 * `require()` per spec (require-watch.ts), and builtins are probed through their CommonJS object.
 * The agent (`hookwire/agent`) installs the same hooks only when a spec first names an ES module.
 */
import { installEsmHooks } from './esm-install.ts';

installEsmHooks();
