// Writes src/core/compile/notify-blocks.ts, the eval-free notify dispatcher's blocks: one function
// literal per arity and place in the chain (why: compile/chain-notify.ts). `--check` fails when the
// file differs from what this writes (npm run lint runs it).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SIZE = 8; // exits per block
const PLACES = 4; // block literals per arity: the first SIZE * PLACES exits have call sites of their own
const ARITIES = 4; // 0 to 3 arguments

const target = fileURLToPath(new URL('../src/core/compile/notify-blocks.ts', import.meta.url));

const params = (arity) => Array.from({ length: arity }, (_, i) => `a${i}`);
const typed = (arity) =>
  params(arity)
    .map((p) => `${p}: unknown`)
    .join(', ');
const exits = Array.from({ length: SIZE }, (_, i) => `e${i}`);

function block(arity, place) {
  const call = params(arity).join(', ');
  const steps = exits.flatMap((e, i) => [...(i > 0 ? ['        j++;'] : []), `        if (${e}(${call}) === stop) break stopped;`]);
  return [
    `function block${arity}x${place}(e: Exits, at: number, count: DispatchCount, next: Fn): Fn {`,
    `  const [${exits.join(', ')}] = e;`,
    `  const [c, then, k, stop] = [count, next, at, STOP];`,
    `  return function block(${typed(arity)}) {`,
    `    let j = k; // the exit the dispatch is at`,
    `    stopped: {`,
    `      try {`,
    ...steps,
    `      } catch (error) {`,
    `        c.end(j);`,
    `        throw error;`,
    `      }`,
    `      return then(${call});`,
    `    }`,
    `    return c.end(j);`,
    `  };`,
    `}`,
  ].join('\n');
}

function fire(arity) {
  const call = params(arity).join(', ');
  return [
    `function fire${arity}(chain: Fn, count: DispatchCount, general: Dispatcher | null): Dispatcher {`,
    `  const [first, c, other] = [chain, count, general];`,
    `  return function fire(${typed(arity)}) {`,
    `    if (other !== null && arguments.length !== ${arity}) return other(...arguments);`,
    `    c.n++;`,
    `    return first(${call});`,
    `  };`,
    `}`,
  ].join('\n');
}

export function source() {
  const arities = Array.from({ length: ARITIES }, (_, a) => a);
  const places = Array.from({ length: PLACES }, (_, p) => p);
  return `// Written by scripts/notify-blocks.mjs: edit that and run it (npm run lint checks the two agree).
/* eslint-disable prefer-rest-params -- a fire passes \`arguments\` on only when their count is not the learnt one */
import type { DispatchCount } from '../hit-counts.ts';
import { STOP } from '../stop.ts';
import type { Dispatcher } from './plan.ts';

type Fn = (...args: unknown[]) => unknown;
/** A block's exits, one call site each. */
export type Exits = [${exits.map(() => 'Fn').join(', ')}];
type Factory = (e: Exits, at: number, count: DispatchCount, next: Fn) => Fn;

/** Exits per block. */
export const BLOCK_SIZE = ${SIZE};

/** The block factories of each arity (0 to ${ARITIES - 1}), one per place in the chain. */
export const BLOCKS: readonly (readonly Factory[])[] = [
${arities.map((a) => `  [${places.map((p) => `block${a}x${p}`).join(', ')}],`).join('\n')}
];

/** The counted entry of each arity; \`general\` takes calls with another argument count. */
export const FIRES: readonly ((chain: Fn, count: DispatchCount, general: Dispatcher | null) => Dispatcher)[] = [${arities.map((a) => `fire${a}`).join(', ')}];

${arities.map(fire).join('\n\n')}

${arities.flatMap((a) => places.map((p) => block(a, p))).join('\n\n')}
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = source();
  if (process.argv.includes('--check')) {
    if (readFileSync(target, 'utf8') !== text) {
      console.error('src/core/compile/notify-blocks.ts is not what scripts/notify-blocks.mjs writes: run `node scripts/notify-blocks.mjs`');
      process.exit(1);
    }
  } else {
    writeFileSync(target, text);
  }
}
