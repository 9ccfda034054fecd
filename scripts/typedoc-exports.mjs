// TypeDoc plugin (see typedoc.json). For each documented module it
// - uses the specifier a user imports ("hookwire", "hookwire/probe", …) as its name instead of its
//   source path, and fails the run when the entry points in typedoc.json and the "exports" of
//   package.json disagree (package.json owns the list; typedoc.json repeats it because TypeDoc needs
//   source files);
// - takes the entry file's leading /** … */ block as the module's description when the file does not
//   mark it with @module or @packageDocumentation (TypeDoc would otherwise drop it).
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Comment, Converter, ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  /** @type {Map<string, string>} source file → import specifier */
  let specifiers = new Map();
  /** @type {Set<string>} specifiers seen in this run */
  const seen = new Set();

  app.converter.on(Converter.EVENT_BEGIN, () => {
    specifiers = publicEntryPoints(process.cwd());
    seen.clear();
  });

  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.Module)) return;
    const source = context.getSymbolFromReflection(reflection)?.declarations?.[0]?.getSourceFile();
    const file = source?.fileName;
    const specifier = file === undefined ? undefined : specifiers.get(resolve(file));
    if (specifier === undefined) {
      app.logger.error(
        `typedoc.json documents ${file === undefined ? reflection.name : relative(process.cwd(), file)} as an entry point, but package.json "exports" does not export it`,
      );
      return;
    }
    reflection.name = specifier;
    seen.add(specifier);
    if (reflection.comment === undefined && source !== undefined) {
      const summary = leadingComment(source.text);
      if (summary !== undefined) reflection.comment = new Comment(summary);
    }
  });

  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, () => {
    for (const [file, specifier] of specifiers) {
      if (!seen.has(specifier)) {
        app.logger.error(`package.json exports "${specifier}" (${relative(process.cwd(), file)}), but typedoc.json does not list it in entryPoints`);
      }
    }
  });
}

/**
 * The package's public entry points: for every "exports" subpath with "types", the source file that
 * declaration is built from (tsconfig.build.json compiles src/ to dist/).
 * @param {string} dir
 * @returns {Map<string, string>}
 */
function publicEntryPoints(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const map = new Map();
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    const types = typeof target === 'object' && target !== null ? target.types : undefined;
    if (typeof types !== 'string') continue;
    const match = /^\.\/dist\/(.+)\.d\.ts$/.exec(types);
    if (match === null) throw new Error(`package.json exports["${subpath}"].types is not under ./dist/: ${types}`);
    const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
    map.set(resolve(dir, 'src', `${match[1]}.ts`), specifier);
  }
  return map;
}

/**
 * The text of a file's leading JSDoc block as TypeDoc display parts (`{@link X}` kept as a link).
 * @param {string} text
 * @returns {import('typedoc').CommentDisplayPart[] | undefined}
 */
function leadingComment(text) {
  const match = /^\s*\/\*\*([\s\S]*?)\*\//.exec(text.replace(/^#!.*\n/, ''));
  if (match === null) return undefined;
  const body = match[1]
    .split('\n')
    .map((line) => line.replace(/^\s*\* ?/, ''))
    .join('\n')
    .trim();
  if (body === '' || /(^|\s)@/.test(body.replace(/\{@[^}]*\}/g, ''))) return undefined;
  /** @type {import('typedoc').CommentDisplayPart[]} */
  const parts = [];
  let last = 0;
  for (const link of body.matchAll(/\{(@link(?:code|plain)?)\s+([^}]*)\}/g)) {
    if (link.index > last) parts.push({ kind: 'text', text: body.slice(last, link.index) });
    parts.push({ kind: 'inline-tag', tag: /** @type {`@${string}`} */ (link[1]), text: link[2].trim() });
    last = link.index + link[0].length;
  }
  if (last < body.length) parts.push({ kind: 'text', text: body.slice(last) });
  return parts;
}
