// The dashboard's model marks a probe on the breakpoint path (no wrapper) with where it is and its
// cost per hit, from the listing's own hook meta, and keeps the mark across stats ticks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registry } from '../../src/core/index.ts';
import { probeSpec } from '../../src/probe/index.ts';
import { applyListing, applyStats, emptyModel, setAgents } from '../../ui/page/model.ts';

test('a breakpoint probe is a probe row with a breakpoint mark (where, cost); a wrapper probe has none', () => {
  const line = probeSpec('./test/fixtures/breakpoint/lines.cjs:5', {});
  try {
    const model = emptyModel();
    setAgents(model, [{ pid: 1 } as never]);
    const snapshot = registry.snapshot();
    applyListing(model, 1, { pid: 1, time: 1, registry: snapshot, attachments: [] }, true);
    const program = model.programs.get(1)!;
    const row = program.rows.find((r) => r.site === line.hook);
    assert.ok(row, 'the probe has a row');
    assert.equal(row.kind, 'probe');
    assert.match(row.breakpoint?.where ?? '', /lines\.cjs:5/u);
    assert.match(row.breakpoint?.cost ?? '', /µs per hit/u);
    // A tick carries no meta: the mark stays.
    applyStats(model, 1, {
      time: 2,
      hooks: snapshot.hooks.map((h) => ({ name: h.name, enabled: h.enabled, exits: h.exits })),
      attachments: [],
      dropped: 0,
    });
    assert.match(model.programs.get(1)!.rows.find((r) => r.site === line.hook)?.breakpoint?.where ?? '', /lines\.cjs:5/u);
    for (const r of program.rows) if (r.site !== line.hook) assert.equal(r.breakpoint, undefined, r.site);
  } finally {
    line.remove();
  }
});
