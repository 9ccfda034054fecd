/**
 * The experiments' measuring loop: every bench once per round, in an order that rotates by one each
 * round (so that none always runs first), for `rounds` rounds; a figure is the median over rounds
 * of mitata's median, in ns per operation.
 */
import type { Bench } from '../harness.ts';
import { FULL, timeBench } from '../measure.ts';
import { median } from '../stats.ts';

export async function medians(benches: readonly Bench[], rounds = 5): Promise<Map<string, number>> {
  const figures = new Map<string, number[]>();
  for (let r = 0; r < rounds; r++) {
    for (const b of [...benches.slice(r % benches.length), ...benches.slice(0, r % benches.length)]) {
      figures.set(b.name, [...(figures.get(b.name) ?? []), await timeBench(b, FULL)]);
    }
  }
  return new Map([...figures].map(([name, times]) => [name, median(times)]));
}
