/** What needs a look: assert failures with their capture, faults and missed calls, pending specs (with the reason), budgets that ended an attachment, lost events. */
import type { BudgetState } from '../../src/exits/budget.ts';
import type { Program } from './model.ts';

export function AssertFailures(props: { program: Program }) {
  const failures = props.program.attachments.flatMap((a) =>
    a.report?.type === 'assert'
      ? Object.entries(a.report.sites)
          .filter(([, s]) => s.failures > 0)
          .map(([site, s]) => ({ name: a.name, site, ...s }))
      : [],
  );
  return (
    <section aria-labelledby="asserts-title">
      <h2 id="asserts-title">Assert failures</h2>
      {failures.length === 0 ? (
        <p class="empty">none</p>
      ) : (
        <ul class="asserts">
          {failures.map((f) => (
            <li key={`${f.name}:${f.site}`}>
              <strong>{f.name}</strong> on {f.site}: {f.failures} of {f.checks} checks failed
              {f.captured === null ? null : (
                <>
                  {' '}
                  — first failure captured in <code>{f.captured}</code>
                </>
              )}
              {f.captureError === undefined ? null : <span class="bad"> (capture failed: {f.captureError})</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function Problems(props: { program: Program; traceDropped: number; pageDropped: number }) {
  const { program } = props;
  const items: string[] = [];
  if (program.ended !== undefined) items.push(`event stream ended: ${program.ended}`);
  if (program.statsError !== undefined) items.push(`the program could not take its stats: ${program.statsError}`);
  for (const a of program.attachments) {
    if (a.status === 'pending') {
      items.push(`${a.name}: pending — ${a.reason ?? (a.kind === 'probe' ? 'its module is not loaded yet' : 'its hook is not declared yet')}`);
    }
    // An attachment whose budget ended it (expired: removed; disarmed: over its overhead share).
    const budget = (a.report as { budget?: BudgetState } | null)?.budget;
    if (budget !== undefined && budget.state !== 'active')
      items.push(`${a.name}: budget ${budget.state}${budget.reason === null ? '' : ` — ${budget.reason}`}`);
    if (a.stats.faults > 0) items.push(`${a.name}: ${a.stats.faults} faults (contained; the program ran on)`);
    if (a.stats.missed > 0) items.push(`${a.name}: ${a.stats.missed} missed (re-entered its own probe)`);
    if (a.report?.type === 'trace') {
      for (const [site, s] of Object.entries(a.report.sites)) if (s.lost > 0) items.push(`${a.name} on ${site}: ${s.lost} trace records lost`);
    }
  }
  for (const r of program.rows) if (r.kind === 'hook' && r.faults > 0) items.push(`${r.site}: ${r.faults} exit faults`);
  if (program.dropped > 0) items.push(`${program.dropped} events dropped by the program for this server (it was behind)`);
  if (props.traceDropped > 0) items.push(`${props.traceDropped} trace records not shown (more than the page takes per 250 ms)`);
  if (props.pageDropped > 0) items.push(`${props.pageDropped} events this page was too slow to take`);
  return (
    <section aria-labelledby="problems-title">
      <h2 id="problems-title">Problems</h2>
      {items.length === 0 ? (
        <p class="empty">none</p>
      ) : (
        <ul class="problems">
          {items.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
