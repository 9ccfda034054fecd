/**
 * The one source change hookwire makes to an ES module, and only to one that a probe spec names:
 * a few lines appended after the last line of the original (nothing inserted, so every line and
 * column, stack trace and source map stays where it was). They hand hookwire a getter and a
 * setter for the module's own local binding of each export, so a probe replaces the binding
 * itself: every importer, the namespace and `import()` see the wrapper (ESM live bindings), and
 * removal puts the exact original back. Exports with no local binding (re-exports,
 * `export default <expression>`) are listed with where they come from, so a spec naming them can
 * say which module to probe instead.
 */

/** The global symbol (`Symbol.for`) under which the appended code finds hookwire's ES module registry. */
export const ESM_REGISTRY_KEY = 'hookwire.esm';

/** What the transform needs of es-module-lexer's `parse` (its import and export records). */
export interface ModuleLexer {
  parse(source: string, name?: string): readonly [readonly LexedImport[], readonly LexedExport[], ...unknown[]];
}

/** An import (or `export … from`) statement as the lexer reports it. */
export interface LexedImport {
  readonly n: string | undefined;
  readonly ss: number;
}

/** An export as the lexer reports it: exported name, local name (absent without a local binding), statement start. */
export interface LexedExport {
  readonly n: string;
  readonly ln?: string | undefined;
  readonly ss: number;
}

/**
 * The text to append to `source` (the module at `url`) so that it registers accessors for its
 * exports when its body has run (an empty set for a module without exports). Throws what the lexer throws on
 * a source it cannot read (the caller then leaves the module as it is).
 */
export function bindingSuffix(source: string, url: string, lexer: ModuleLexer): string {
  const [imports, exports] = lexer.parse(source);
  const locals: string[] = [];
  const others: string[] = [];
  const param = freshName(source, '__hookwire_value');
  for (const e of exports) {
    if (e.ln !== undefined && e.ln.length > 0) {
      locals.push(`${JSON.stringify(e.n)}: [() => ${e.ln}, (${param}) => { ${e.ln} = ${param}; }]`);
    } else {
      const from = imports.find((i) => i.ss === e.ss && i.n !== undefined);
      const why =
        from !== undefined
          ? `it is re-exported from ${JSON.stringify(from.n)}: probe it in the module that declares it`
          : 'it is an export default of an expression, which has no binding to replace: export a named function or class, or probe a path below it';
      others.push(`${JSON.stringify(e.n)}: ${JSON.stringify(why)}`);
    }
  }
  // `export * from '…'` brings names the lexer does not list: remember the sources for the error.
  const stars = imports.filter((i) => i.n !== undefined && /^export\s*\*\s*from/u.test(source.slice(i.ss, i.ss + 64))).map((i) => JSON.stringify(i.n));
  // Values of exports without a local binding are read through the module's own namespace (a
  // self-import: the module is already in its graph, so nothing else loads or runs earlier).
  const ns = others.length > 0 || stars.length > 0 ? freshName(source, '__hookwire_ns') : '';
  const lines = [
    '',
    // In a try: a module that declares its own top-level globalThis or Symbol must still run (its probe then stays pending).
    `;try { globalThis[Symbol.for(${JSON.stringify(ESM_REGISTRY_KEY)})]?.bound(import.meta.url, { ${locals.join(', ')} }, { ${others.join(', ')} }, [${stars.join(', ')}]${ns === '' ? '' : `, ${ns}`}); } catch {}`,
  ];
  if (ns !== '') lines.push(`import * as ${ns} from ${JSON.stringify(url)};`);
  return lines.join('\n') + '\n';
}

/** `base`, or `base` with a number, such that the name appears nowhere in `source` (so it shadows nothing). */
function freshName(source: string, base: string): string {
  let name = base;
  for (let i = 2; source.includes(name); i++) name = `${base}${i}`;
  return name;
}
