import { hook } from '../../src/core/index.ts';
import { X, keep } from '../exits.ts';
import { OPS, tick } from '../harness.ts';
const g = hook<[a: number, b: number]>('x:ten', { args: ['a', 'b'] });
for (const f of X.slice(0, 10)) g.register(f, { armed: true });
function loop() {
  const base = (tick.i = (tick.i + OPS) & 0xfffff);
  for (let i = base; i < base + OPS; i++) g.fire(i, 7);
  keep();
}
for (let k = 0; k < 20000; k++) loop();
