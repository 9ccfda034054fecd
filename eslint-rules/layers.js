// hookwire's local ESLint plugin: the layer order of src/ as a lint rule.
//
//   core <- probe <- exits <- control <- cli
//
// - The core (src/core/**) imports only core files: no layer, no `node:` module, no package.
// - A layer imports only its own layer and the layers below it.
// - A layer enters the core through one of its doors (by default src/core/index.ts and
//   src/core/internal.ts; hookwire's eslint.config.js adds src/core/errors.ts).
//
// Every way a module names another is checked: static imports (values and `import type`),
// `export … from`, `import()` and `require()` with a literal specifier, `import x = require()`
// and `import('…')` types. Relative specifiers are resolved against the importing file, so the
// check does not depend on how a path is spelled.
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const DEFAULTS = {
  src: 'src',
  core: 'core',
  layers: ['probe', 'exits', 'control', 'cli'],
  doors: ['index.ts', 'internal.ts'],
};

/** @type {import('eslint').Rule.RuleModule} */
const layers = {
  meta: {
    type: 'problem',
    docs: {
      description: 'Keep src/ layered: the core imports no layer, no layer imports one above it, and layers enter the core by its doors',
    },
    schema: [
      {
        type: 'object',
        properties: {
          src: { type: 'string', description: 'the source root, relative to the working directory or absolute' },
          core: { type: 'string', description: 'the core folder under src' },
          layers: { type: 'array', items: { type: 'string' }, uniqueItems: true, description: 'layer folders, lowest first' },
          doors: { type: 'array', items: { type: 'string' }, uniqueItems: true, description: 'core files a layer may import' },
          packageName: { type: 'string', description: 'the package name, so that self-references are refused' },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      coreImportsLayer: "The core imports no layer: '{{spec}}' is in src/{{target}}/.",
      coreImportsOutside: "The core imports only core files: '{{spec}}' resolves outside src/{{core}}/.",
      coreImportsPackage: "The core imports no `node:` module and no package ('{{spec}}'): it runs wherever JavaScript runs.",
      coreComputed: 'The core loads no module by a computed name: this import cannot be checked.',
      upward: "src/{{from}}/ may not import src/{{target}}/ ('{{spec}}'): layers import only downward ({{order}}).",
      oneDoor: "Layers enter the core through {{doors}} only, not '{{spec}}'.",
      outsideSrc: "'{{spec}}' resolves outside src/: package code imports only package code.",
      unknownTarget: "'{{spec}}' is in src/{{target}}, which is in no layer: give it a place in the layer order.",
      unknownLayer: 'This file is in no layer (src/{{dir}}): give its folder a place in the layer order.',
      selfReference: "Import '{{spec}}' by a relative path: a self-reference resolves to the built package and escapes this check.",
    },
  },

  create(context) {
    const opts = { ...DEFAULTS, ...context.options[0] };
    const srcRoot = resolve(context.cwd, opts.src);
    const filename = context.physicalFilename ?? context.filename;
    const fromRel = toPosix(relative(srcRoot, filename));
    if (fromRel === '' || fromRel.startsWith('../') || isAbsolute(fromRel)) return {}; // not under src/

    const order = [opts.core, ...opts.layers];
    const rank = (layer) => order.indexOf(layer);
    const from = layerOf(fromRel);
    const fromDir = dirname(filename);
    const doorPaths = new Set(opts.doors.map((d) => `${opts.core}/${stripExtension(d)}`));
    const doorList = opts.doors.map((d) => `src/${opts.core}/${d}`).join(' or ');

    function check(node, spec) {
      const report = (messageId, data = {}) => context.report({ node, messageId, data: { spec, ...data } });
      if (opts.packageName !== undefined && (spec === opts.packageName || spec.startsWith(`${opts.packageName}/`))) {
        return report('selfReference');
      }
      const target = resolveSpecifier(spec);
      if (target === undefined) {
        // a `node:` module, a package or a `#` subpath import
        if (from === opts.core) report('coreImportsPackage');
        return;
      }
      const targetRel = toPosix(relative(srcRoot, target));
      if (targetRel.startsWith('../') || isAbsolute(targetRel)) {
        return report(from === opts.core ? 'coreImportsOutside' : 'outsideSrc', { core: opts.core });
      }
      const to = layerOf(targetRel);
      if (from === opts.core) {
        if (to === opts.core) return;
        if (to === undefined) return report('coreImportsOutside', { core: opts.core });
        return report('coreImportsLayer', { target: to });
      }
      if (from === undefined) return; // reported once for the file
      if (to === undefined) return report('unknownTarget', { target: targetRel.split('/')[0] });
      if (rank(to) > rank(from)) return report('upward', { from, target: to, order: order.join(' <- ') });
      if (to === opts.core && !doorPaths.has(corePath(targetRel))) report('oneDoor', { doors: doorList });
    }

    /** A module referenced by something other than a string: only the core is refused it. */
    function computed(node) {
      if (from === opts.core) context.report({ node, messageId: 'coreComputed' });
    }

    /** The absolute path a specifier names, or undefined for a module resolved by name. */
    function resolveSpecifier(spec) {
      if (spec.startsWith('file:')) return fileURLToPath(spec);
      if (spec === '.' || spec === '..' || spec.startsWith('./') || spec.startsWith('../')) return resolve(fromDir, spec);
      if (isAbsolute(spec)) return spec;
      return undefined;
    }

    /** Which layer a path relative to src/ is in (the folder right under src/), if any. */
    function layerOf(rel) {
      const parts = rel.split('/');
      if (!order.includes(parts[0])) return undefined;
      // `src/core` itself (a folder import) is in the core; a file `src/core.ts` is in no layer
      return parts[0];
    }

    /** A core path without extension; the core folder itself means its index. */
    function corePath(rel) {
      const bare = stripExtension(rel);
      return bare === opts.core ? `${opts.core}/index` : bare;
    }

    function source(node, arg) {
      const spec = literalString(arg);
      if (spec !== undefined) check(node, spec);
      else computed(node);
    }

    return {
      Program(node) {
        if (from === undefined) {
          const parts = fromRel.split('/');
          context.report({ node, loc: { line: 1, column: 0 }, messageId: 'unknownLayer', data: { dir: parts.length > 1 ? `${parts[0]}/` : fromRel } });
        }
      },
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => source(node, node.source),
      CallExpression(node) {
        if (isRequire(node.callee) && node.arguments.length > 0) source(node, node.arguments[0]);
      },
      TSImportEqualsDeclaration(node) {
        if (node.moduleReference.type === 'TSExternalModuleReference') source(node, node.moduleReference.expression);
      },
      TSImportType(node) {
        // typescript-eslint 8 has `source`; earlier versions wrap the literal in `argument`
        const lit = node.source ?? node.argument?.literal;
        if (lit) source(node, lit);
      },
    };
  },
};

/** `require(…)` or `require.resolve(…)`. */
function isRequire(callee) {
  if (callee.type === 'Identifier') return callee.name === 'require';
  return (
    callee.type === 'MemberExpression' &&
    callee.object.type === 'Identifier' &&
    callee.object.name === 'require' &&
    !callee.computed &&
    callee.property.name === 'resolve'
  );
}

/** The value of a string literal or of a template literal without substitutions. */
function literalString(node) {
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked;
  return undefined;
}

function stripExtension(path) {
  return path.replace(/\.d\.ts$|\.[cm]?[jt]sx?$/, '');
}

function toPosix(path) {
  return sep === '/' ? path : path.split(sep).join('/');
}

export default {
  meta: { name: 'eslint-plugin-hookwire' },
  rules: { layers },
};
