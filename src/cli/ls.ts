import { listAgents, type AgentEntry } from '../control/client.ts';
import { budgetOf, isLatencySite, reportSites, type Listing } from '../control/protocol.ts';
import { nodeProcesses, type ProcessFacts } from '../control/node-process.ts';
import { runtimeDir } from '../control/runtime-dir.ts';
import { agentClient } from './agent-client.ts';
import { commonOptions, parse, pidArg, UsageError } from './args.ts';
import type { Command, Io } from './io.ts';
import { duration, ms, styleFor, table, type Align, type Style } from './output.ts';

/** `hookwire ls [PID]`: the running agents, or one process's hooks, probes and attachments. */
export const ls: Command = {
  name: 'ls',
  summary: 'list running agents, or the hooks, probes and exits of one',
  help: `Usage: hookwire ls [PID] [--json]

Without PID: the processes of this user running the hookwire agent (when a run has
several, its processes together: RUN is the run's id, PARENT the process of the run that
started it), then (Linux) the Node processes of this user running without it.
With PID: that process's hooks (declared and probed), their exits, and the attachments
made by hookwire (name, target, exit type, state, hits, latency), its worker threads,
and the processes of its run that it started. A Node process of this user without the
agent gets it brought in through its inspector (see docs/production.md).

  --json      print the agent's answer as JSON (without PID: the agents only)
  -h, --help  show this help`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, commonOptions);
    if (values.help) {
      io.stdout.write(`${this.help}\n`);
      return 0;
    }
    if (positionals.length > 1) throw new UsageError(`ls takes at most one process id, got ${positionals.length} arguments`);
    const dir = runtimeDir(io.env);
    if (positionals.length === 0) {
      const agents = await listAgents({ dir });
      const style = styleFor(io.stdout, io.env);
      if (values.json) io.stdout.write(`${JSON.stringify(agents)}\n`);
      else if (agents.length === 0) io.stdout.write('no hookwire agent is running (start one with: hookwire run -- node app.js)\n');
      else {
        // RUN and PARENT only when some run has several processes (a cluster, forked children).
        const runs = agents.map((a) => a.run).filter((r) => r !== undefined);
        const grouped = new Set(runs).size < runs.length;
        const rows = byRun(agents).map((a) => [
          String(a.pid),
          ...(grouped ? [a.run ?? '-', a.run !== undefined && a.runFirst !== a.pid ? String(a.ppid) : '-'] : []),
          duration(a.uptimeMs),
          a.node,
          a.transport,
          commandLine(a.argv),
        ]);
        const heads = ['PID', ...(grouped ? ['RUN', 'PARENT'] : []), 'UPTIME', 'NODE', 'CONTROL', 'COMMAND'];
        const align: Align[] = ['right', ...(grouped ? (['left', 'right'] as const) : []), 'right', 'left', 'left', 'left'];
        io.stdout.write(`${table(heads, rows, align, style)}\n`);
      }
      if (!values.json) {
        const served = new Set(agents.map((a) => a.pid));
        const others = nodeProcesses().filter((p) => !served.has(p.pid) && p.pid !== process.ppid);
        if (others.length > 0) io.stdout.write(`\n${renderOthers(others, style)}\n`);
      }
      return 0;
    }
    const pid = pidArg(positionals[0], 'ls');
    const listing = await (await agentClient(pid, io)).list();
    if (values.json) io.stdout.write(`${JSON.stringify(listing)}\n`);
    else {
      io.stdout.write(`${renderListing(listing, io)}\n`);
      // The processes of its run it started (cluster workers, forked children), and theirs.
      const started = startedBy(pid, await listAgents({ dir }).catch(() => []));
      if (started.length > 0) io.stdout.write(`\n${renderStarted(started, styleFor(io.stdout, io.env))}\n`);
    }
    return 0;
  },
};

function renderListing(listing: Listing, io: Io): string {
  const style = styleFor(io.stdout, io.env);
  const hooks = listing.registry.hooks;
  const attachments = listing.attachments;
  const out: string[] = [];
  // With worker threads the registry is the main thread's (each worker has its own): say so, as the
  // attachments and threads below add up every thread.
  const threaded = listing.threads !== undefined && listing.threads.length > 0;
  out.push(
    hooks.length === 0
      ? threaded
        ? 'no hooks in the main thread'
        : 'no hooks'
      : table(
          [threaded ? 'HOOK (MAIN THREAD)' : 'HOOK', 'KIND', 'STATE', 'HITS', 'FAULTS', 'EXITS'],
          hooks.map((h) => [
            h.name,
            // A probe's hook is a plain core hook; call it a probe, as top does (and say when an
            // inspector breakpoint reaches it, the non-boosted path: entry only, far slower per hit).
            h.name.startsWith('probe:') ? (h.meta?.['wrapper'] === 'breakpoint' ? 'probe (breakpoint)' : 'probe') : h.kind,
            (h.enabled ? style.green('armed') : style.dim('idle')) + (h.sealed ? ' sealed' : ''),
            String(Math.max(0, ...h.exits.map((e) => e.hits))),
            String(h.exits.reduce((n, e) => n + e.faults, 0)),
            h.exits.map((e) => `${e.name}${e.armed ? '' : ' (disarmed)'}`).join(', ') || '-',
          ]),
          ['left', 'left', 'left', 'right', 'right', 'left'],
          style,
        ),
  );
  if (threaded) out.push(style.dim("the main thread's hooks and hits; ATTACHMENT and THREAD count every thread (workers' own hooks too)"));
  out.push('');
  out.push(
    attachments.length === 0
      ? 'no attachments'
      : table(
          ['ATTACHMENT', 'TYPE', 'STATE', 'HITS', 'P50', 'P99', 'FAULTS', 'MISSED'],
          attachments.map((a) => {
            const site = a.report === null ? undefined : reportSites(a.report)[0];
            const latency = site !== undefined && isLatencySite(site) ? site : undefined;
            const ended = budgetOf(a.report);
            return [
              a.name,
              a.type,
              ended !== undefined && ended.state !== 'active'
                ? style.yellow(ended.state)
                : a.status === 'pending'
                  ? style.yellow('pending')
                  : a.armed
                    ? style.green('armed')
                    : site !== undefined && 'waiting' in site && site.waiting === true
                      ? style.dim('waiting')
                      : style.dim('disarmed'),
              // An ended budget's hits are those its exit took: calls that reached the wrapper before
              // the deferred removal landed were refused by the budget, not recorded.
              String(ended !== undefined && ended.state !== 'active' ? ended.hits : Math.max(a.stats.hits, site?.hits ?? 0)),
              ms(latency?.p50Ms),
              ms(latency?.p99Ms),
              String(a.stats.faults),
              String(a.stats.missed),
            ];
          }),
          ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'right'],
          style,
        ),
  );
  if (listing.threads !== undefined && listing.threads.length > 0) out.push('', renderThreads(listing, style));
  for (const a of attachments) {
    const budget = budgetOf(a.report);
    if (budget?.reason != null) out.push('', style.yellow(`budget: ${a.name} ${budget.state}: ${budget.reason}`));
  }
  for (const a of attachments) if (a.status === 'pending' && a.reason !== undefined) out.push('', style.yellow(`pending: ${a.name}: ${a.reason}`));
  for (const h of hooks) {
    if (h.meta?.['wrapper'] !== 'breakpoint') continue;
    out.push(
      '',
      style.dim(`breakpoint: ${h.name} at ${String(h.meta['breakpoint'])}: entry only (no return, error or duration), ${String(h.meta['cost'])}`),
    );
  }
  const silent = attachments.filter((a) => a.kind === 'probe' && a.status === 'attached' && a.armed && a.stats.hits === 0);
  if (silent.length > 0) out.push('', style.yellow(neverFiredHint(silent.map((a) => a.name))));
  return out.join('\n');
}

/** Past this many worker threads, ended ones are not shown one per line, only counted. */
const THREAD_ROWS = 12;

/**
 * The process's threads: the main thread and each worker whose thread agent runs (or that runs
 * without one: "no agent"), who started it, whether it still runs (or what it refused last), and
 * its hits: the most any of its attachments saw (two exits on one function see the same calls). A
 * long list shows the live workers and counts the ended ones (--json lists them).
 */
function renderThreads(listing: Listing, style: Style): string {
  const hits = new Map<number, number>();
  for (const a of listing.attachments) for (const t of a.threads ?? []) hits.set(t.thread, Math.max(hits.get(t.thread) ?? 0, t.stats.hits));
  const name = (id: number): string => (id === 0 ? 'main' : `w${id}`);
  const all = listing.threads ?? [];
  const shown = all.length > THREAD_ROWS ? all.filter((t) => !t.ended) : all;
  const rows = [
    [
      'main',
      '-',
      style.green('live'),
      String(listing.attachments.length),
      String(hits.get(0) ?? Math.max(0, ...listing.attachments.map((a) => a.stats.hits))),
    ],
    ...shown.map((t) => [
      name(t.thread),
      name(t.parent),
      t.refused !== undefined
        ? style.yellow(`refused: ${t.refused.code}`)
        : t.ended
          ? style.dim('ended')
          : t.reached
            ? style.green('live')
            : style.yellow('not reached'),
      String(t.attachments),
      String(hits.get(t.thread) ?? 0),
    ]),
  ];
  const lines = [table(['THREAD', 'PARENT', 'STATE', 'ATTACHMENTS', 'HITS'], rows, ['left', 'left', 'left', 'right', 'right'], style)];
  const hidden = all.length - shown.length;
  if (hidden > 0) lines.push(style.dim(`${hidden} recently ended thread${hidden === 1 ? '' : 's'} not shown (--json lists them)`));
  return lines.join('\n');
}

/**
 * A probe replaces the function in the slot its spec names; calls that never go through that slot
 * cannot reach it, and nothing in the process says where else the function went. So a silent
 * probe gets this hint rather than passing for one whose function is merely not called yet.
 */
function neverFiredHint(names: string[]): string {
  return [
    `hint: ${names.join(', ')}: armed, 0 hits. A probe replaces the function in the slot its spec names;`,
    '  calls that do not go through that slot never reach it: copies the program took before the attach',
    "  (express copies `application`'s methods into each app it creates; a destructured or bound method)",
    '  and calls by a local name inside the module. Against copies, probe from the start (hookwire run',
    '  --probe SPEC); else probe a slot the program calls through (express: `express#Router.handle`).',
  ].join('\n');
}

/** The Node processes without the agent, and whether an agent can be brought into each. */
function renderOthers(others: ProcessFacts[], style: Style): string {
  const how = (p: ProcessFacts): string => {
    if (p.agent.preloaded) return style.dim(`agent elsewhere (${p.agent.runtimeDir ?? 'default runtime directory'})`);
    if (p.forbidden !== false) return style.dim(`forbidden (${p.forbidden ?? 'environment unreadable'})`);
    if (p.inspector.openAtStart) return style.yellow(`inspector open at start (${p.inspector.host}:${p.inspector.port}): refused`);
    return `on demand, inspector ${p.inspector.host}:${p.inspector.port}`;
  };
  return [
    'Node processes without the agent (hookwire ls|attach|top|trace --pid PID brings it in):',
    table(
      ['PID', 'CONTROL', 'COMMAND'],
      others.map((p) => [String(p.pid), how(p), commandLine(p.argv)]),
      ['right', 'left', 'left'],
      style,
    ),
  ].join('\n');
}

/** The agents with the processes of each run together, each run's first process first, in the order of pids. */
function byRun(agents: AgentEntry[]): AgentEntry[] {
  const order = new Map<string, number>();
  for (const a of agents) if (a.run !== undefined && !order.has(a.run)) order.set(a.run, a.runFirst ?? a.pid);
  const key = (a: AgentEntry): [number, number, number] =>
    a.run === undefined ? [a.pid, 0, a.pid] : [order.get(a.run)!, a.pid === a.runFirst ? 0 : 1, a.pid];
  return [...agents].sort((x, y) => {
    const [a, b] = [key(x), key(y)];
    return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
  });
}

/** The agents of `pid`'s run that `pid` started, directly or through another of them. */
function startedBy(pid: number, agents: AgentEntry[]): AgentEntry[] {
  const run = agents.find((a) => a.pid === pid)?.run;
  if (run === undefined) return [];
  const members = agents.filter((a) => a.run === run);
  const out: AgentEntry[] = [];
  const parents = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const a of members) {
      if (parents.has(a.ppid) && !parents.has(a.pid)) {
        parents.add(a.pid);
        out.push(a);
        grew = true;
      }
    }
  }
  return out.sort((a, b) => a.pid - b.pid);
}

function renderStarted(started: AgentEntry[], style: Style): string {
  return [
    `processes of this run it started (hookwire ls PID for each):`,
    table(
      ['PID', 'PARENT', 'UPTIME', 'COMMAND'],
      started.map((a) => [String(a.pid), String(a.ppid), duration(a.uptimeMs), commandLine(a.argv)]),
      ['right', 'right', 'right', 'left'],
      style,
    ),
  ].join('\n');
}

function commandLine(argv: string[]): string {
  const text = argv.slice(1).join(' ') || (argv[0] ?? '');
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
