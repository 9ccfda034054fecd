/** The page: the programs, the selected one's sites and attachments, charts, trace stream and problems. */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { AgentView } from '../../src/cli/ui-stream.ts';
import type { AttachRequest, StatsFailure, StatsTick } from '../../src/control/protocol.ts';
import { api, ApiError, openStream } from './api.ts';
import { AttachForm } from './attach-form.tsx';
import { Histogram, SiteCharts } from './charts.tsx';
import { uptime } from './format.ts';
import { applyListing, applyStats, applyTraces, emptyModel, holdTicks, setAgents, type PageTrace } from './model.ts';
import { AssertFailures, Problems } from './problems.tsx';
import { AttachmentsTable, SitesTable, type Actions } from './sites.tsx';
import { TraceStream } from './trace.tsx';

/** A full listing is asked this often besides after each change (for kind and sealed, which ticks leave out). */
const LISTING_MS = 5000;

export function App() {
  const model = useRef(emptyModel()).current;
  const [, setVersion] = useState(0);
  const [pid, setPid] = useState<number | undefined>(undefined);
  const [site, setSite] = useState<string | undefined>(undefined);
  const [exitTypes, setExitTypes] = useState<string[]>(['latency', 'count', 'trace']);
  const [status, setStatus] = useState<{ text: string; bad: boolean } | null>(null);
  const pidRef = useRef(pid);
  pidRef.current = pid;

  // Re-render at most once per animation frame, however many events arrive.
  const frame = useRef(0);
  const redraw = () => {
    if (frame.current !== 0) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      setVersion((v) => v + 1);
    });
  };

  const refresh = async (which: number | undefined = pidRef.current, afterChange = false) => {
    if (which === undefined) return;
    try {
      applyListing(model, which, await api.listing(which), afterChange);
      redraw();
    } catch {
      // The next stats tick brings the state anyway.
      if (afterChange) holdTicks(model, which, true);
    }
  };

  useEffect(() => {
    api.catalogue().then(
      (c) => setExitTypes(c.exitTypes),
      () => undefined,
    );
    const close = openStream({
      agents: (data) => {
        setAgents(model, (data as { agents: AgentView[] }).agents);
        const current = pidRef.current;
        if (current === undefined || !model.programs.has(current)) setPid(model.programs.keys().next().value);
        redraw();
      },
      stats: (data) => {
        const { pid: from, tick } = data as { pid: number; tick: StatsTick | StatsFailure };
        applyStats(model, from, tick);
        redraw();
      },
      trace: (data) => {
        const { records, dropped } = data as { records: PageTrace[]; dropped: number };
        applyTraces(model, records, dropped);
        redraw();
      },
      ended: (data) => {
        const { pid: from, reason } = data as { pid: number; reason: string };
        const program = model.programs.get(from);
        if (program !== undefined) program.ended = reason;
        redraw();
      },
      dropped: (data) => {
        model.pageDropped = Number(data);
        redraw();
      },
      connection: (open) => {
        model.connected = open;
        redraw();
      },
    });
    return close;
  }, []);

  useEffect(() => {
    void refresh(pid);
    const timer = setInterval(() => void refresh(), LISTING_MS);
    return () => clearInterval(timer);
  }, [pid]);

  const statusTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const run = async (what: string, op: () => Promise<unknown>) => {
    clearTimeout(statusTimer.current);
    // From here until the listing asked after the change, ticks could show the state before it.
    const target = pidRef.current;
    if (target !== undefined) holdTicks(model, target);
    try {
      await op();
      setStatus({ text: `${what}: done`, bad: false });
      // A success fades after a while; a refusal stays until the next action.
      statusTimer.current = setTimeout(() => setStatus(null), 10_000);
    } catch (error) {
      const e = error instanceof ApiError ? `${error.message} (${error.code})` : String(error);
      setStatus({ text: `${what}: ${e}`, bad: true });
    }
    await refresh(target, true);
  };

  const actions: Actions = useMemo(
    () => ({
      setSite: (name, armed) => {
        const p = pidRef.current;
        if (p !== undefined) void run(`${armed ? 'Arm' : 'Disarm'} ${name}`, () => (armed ? api.arm(p, { name }) : api.disarm(p, { name })));
      },
      setExit: (name, exit, armed) => {
        const p = pidRef.current;
        if (p !== undefined) void run(`${armed ? 'Arm' : 'Disarm'} ${exit}`, () => (armed ? api.arm(p, { name, exit }) : api.disarm(p, { name, exit })));
      },
      setAttachment: (name, armed) => {
        const p = pidRef.current;
        if (p !== undefined) void run(`${armed ? 'Arm' : 'Disarm'} ${name}`, () => (armed ? api.arm(p, { name }) : api.disarm(p, { name })));
      },
      remove: (name) => {
        const p = pidRef.current;
        if (p !== undefined) void run(`Remove ${name}`, () => api.remove(p, { name }));
      },
      select: (name) => setSite(name),
    }),
    [],
  );

  const attach = async (request: AttachRequest) => {
    const p = pidRef.current;
    if (p !== undefined) await run(`Attach ${String((request.exit as { type?: unknown }).type)} to ${request.target}`, () => api.attach(p, request));
  };

  const programs = [...model.programs.values()];
  const program = pid === undefined ? undefined : model.programs.get(pid);
  const now = Date.now();
  const shownSite = site ?? program?.rows.find((r) => r.hits > 0)?.site ?? program?.rows[0]?.site;

  return (
    <>
      <header>
        <h1>hookwire ui</h1>
        <span class={`conn ${model.connected ? 'ok' : 'bad'}`} role="status">
          {model.connected ? 'live' : 'disconnected'}
        </span>
        {status === null ? null : (
          <span class={`status ${status.bad ? 'bad' : 'ok'}`} role={status.bad ? 'alert' : 'status'}>
            {status.text}
          </span>
        )}
      </header>
      <div class="layout">
        <nav aria-labelledby="programs-title">
          <h2 id="programs-title">Programs</h2>
          {programs.length === 0 ? (
            <p class="empty">no program runs the hookwire agent (start one with hookwire run -- node app.js)</p>
          ) : (
            <ul class="programs">
              {programs.map((p) => (
                <li key={p.agent.pid}>
                  <button type="button" aria-pressed={p.agent.pid === pid} onClick={() => setPid(p.agent.pid)}>
                    <strong>{p.agent.pid}</strong> {p.agent.argv.slice(1).join(' ').slice(0, 60)}
                    <span class="dim">
                      {' '}
                      node {p.agent.node}, up {uptime(p.agent.startedAt, now)}
                      {p.ended === undefined ? '' : ', stream ended'}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <p class="dim threads">Threads: one per program (worker threads are not shown yet).</p>
        </nav>
        {program === undefined ? (
          <main>
            <p class="empty">choose a program</p>
          </main>
        ) : (
          <main>
            <section aria-labelledby="sites-title">
              <h2 id="sites-title">
                Process {program.agent.pid} <span class="dim">{program.agent.argv.slice(1).join(' ')}</span>
              </h2>
              <SitesTable rows={program.rows} selected={shownSite} actions={actions} />
              <AttachmentsTable attachments={program.attachments} actions={actions} />
              <AttachForm exitTypes={exitTypes} sites={program.rows.map((r) => r.site)} onAttach={attach} />
            </section>
            {shownSite === undefined ? null : (
              <section aria-labelledby="charts-title" class="site-detail">
                <h2 id="charts-title">{shownSite}</h2>
                <div class="charts">
                  <SiteCharts site={shownSite} points={program.history.get(shownSite) ?? []} />
                  <Histogram site={shownSite} durations={program.durations.get(shownSite) ?? []} />
                </div>
              </section>
            )}
            <TraceStream traces={model.traces} dropped={model.traceDropped} />
            <div class="two">
              <AssertFailures program={program} />
              <Problems program={program} traceDropped={model.traceDropped} pageDropped={model.pageDropped} />
            </div>
          </main>
        )}
      </div>
    </>
  );
}
