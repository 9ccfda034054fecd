/**
 * The control protocol: the routes of an agent's socket (HTTP/1.1 + JSON), the body each request
 * carries, the answer each gives, and the client's check of the answers, so that a malformed
 * answer is an ERR_INTERNAL HookError at once instead of a crash wherever it is read. The server
 * checks request bodies in requests.ts. Light on purpose: every CLI command that talks to an agent
 * loads this module, and none of them needs the exits' option checks or the core's hooks.
 */
import { HookError } from '../core/errors.ts';
import type { ExitSnapshot, RegistrySnapshot } from '../core/index.ts';
import { KINDS } from '../core/kinds.ts';
import type { BudgetState } from '../exits/budget.ts';
import { EXIT_TYPES } from '../exits/exit-types.ts';
import type { LatencySiteReport, ObserverReport, ObserverType, TraceRecord } from '../exits/index.ts';
import {
  anything,
  arrayOf,
  boolean,
  nullable,
  number,
  object,
  oneOf,
  optional,
  recordOf,
  ShapeMismatch,
  string,
  taggedBy,
  type Shape,
} from './json-shape.ts';

/**
 * The protocol's version, which `GET /v1/agent` reports as `protocol`; a client checks it before
 * using what a later version added. 1: the first (an agent that reports none); 2: leases
 * (`lease` on attach, `GET /v1/events?lease=ID`).
 */
export const PROTOCOL = 2;

/** Whether the agent that answered `GET /v1/agent` with `info` takes leases (protocol 2 on). */
export function takesLeases(info: AgentInfo): boolean {
  return (info.protocol ?? 1) >= 2;
}

/** The paths of the routes. */
export const ROUTES = {
  /** `GET`: {@link AgentInfo}. */
  agent: '/v1/agent',
  /** `GET`: {@link Listing}. */
  hooks: '/v1/hooks',
  /** `POST` an {@link AttachRequest}: 201 {@link AttachAnswer}. */
  attach: '/v1/attach',
  /** `POST` an {@link ArmRequest}: {@link ArmAnswer}. */
  arm: '/v1/arm',
  /** `POST` an {@link ArmRequest}: {@link DisarmAnswer}. */
  disarm: '/v1/disarm',
  /** `POST` a {@link RemoveRequest}: {@link RemoveAnswer}. */
  remove: '/v1/remove',
  /** `GET ?interval=MS[&lease=ID]`: server-sent {@link AgentEvent}s; the stream holds lease ID while open. */
  events: '/v1/events',
} as const;

// Requests: their types (requests.ts checks their bodies).

/**
 * A catalogue exit as JSON: `{ "type": "trace", "every": 10 }`. `type` (a string) names the exit;
 * the other fields are its options (docs/exits.md), checked by the catalogue.
 */
export type ExitSpec = Record<string, unknown>;

/** `POST /v1/attach`: attach a catalogue exit (also one item of `HOOKWIRE_ATTACH`). */
export interface AttachRequest {
  /** A declared hook's name, `probe:<spec>`, or a probe spec (`module#path`). */
  target: string;
  /** The exit: a JSON spec such as `{ "type": "trace", "every": 10 }`, or just its type name. */
  exit: ExitSpec | string;
  /** The attachment's name; default `<type>@<target>`. */
  name?: string;
  /** Arm at once (default true). */
  armed?: boolean;
  /**
   * A lease an open event stream of this client holds (`GET /v1/events?lease=ID`): the attachment
   * is removed when the last such stream closes. 8 to 64 letters, digits, `-` or `_`.
   */
  lease?: string;
}

/** An attach request as the server's request check returns it: the exit always as a spec. */
export interface ValidAttachRequest extends AttachRequest {
  exit: ExitSpec;
}

/** `POST /v1/arm` and `POST /v1/disarm`: an attachment, or a declared hook (all its exits, or the one named `exit`). */
export interface ArmRequest {
  name: string;
  /** For a hook: only its exit of this name. */
  exit?: string;
}

/** `POST /v1/remove`: an attachment. */
export interface RemoveRequest {
  name: string;
}

// Answers: their types and the checks the client runs on them.

/** `GET /v1/agent`: facts about the process. */
export interface AgentInfo {
  pid: number;
  ppid: number;
  argv: string[];
  cwd: string;
  /** `process.version`. */
  node: string;
  /** Epoch milliseconds when the control layer loaded. */
  startedAt: number;
  uptimeMs: number;
  /** Where the agent listens. */
  transport: 'unix' | 'tcp' | 'unix+tcp';
  /** The protocol version the server speaks ({@link PROTOCOL}); absent from a version 1 server. */
  protocol?: number;
  /** The agent's: how many attach requests `HOOKWIRE_ATTACH` held. */
  attachFromEnv?: number;
  /** The agent's: how many problems it reported. */
  problems?: number;
  /** The agent's: the id of the `hookwire run` it belongs to (`HOOKWIRE_RUN`), shared by the processes the program forked. */
  run?: string;
  /** The agent's: the pid of its run's first process (its own when it is the first). */
  runFirst?: number;
  /** Further facts, from the server's `info` option. */
  [fact: string]: unknown;
}

/** An attachment as it is listed: what was asked, where it stands, and what it has seen. */
export interface AttachmentInfo {
  name: string;
  /** The hook name or probe spec, as given. */
  target: string;
  /** `hook`: an exit on a declared hook; `probe`: a probe on a function named by spec. */
  kind: 'hook' | 'probe';
  /** The exit's type. */
  type: ObserverType;
  /** The exit spec, as normalised JSON. */
  exit: ExitSpec;
  /**
   * `pending`: the hook is not declared yet, or the probed module is not loaded yet. `removed`:
   * a probe's last state, in the answer to `POST /v1/remove`.
   */
  status: 'attached' | 'pending' | 'removed';
  /** Why a pending probe waits, when it is more than its module not being loaded yet (`Probe.pendingReason`). */
  reason?: string;
  armed: boolean;
  stats: { hits: number; faults: number; missed: number };
  /** The observer's report, or null if it could not give one. */
  report: ObserverReport | null;
  /**
   * With worker threads: each thread's part (0 is the main thread), the live threads and the last
   * 16 ended; `stats` and `report` above are the sums over every thread, older ended ones included.
   */
  threads?: AttachmentThreadPart[];
}

/** One thread's part of an attachment. */
export interface AttachmentThreadPart {
  /** `worker_threads.threadId`: 0 is the main thread. */
  thread: number;
  status: AttachmentInfo['status'];
  armed: boolean;
  stats: AttachmentInfo['stats'];
  report: ObserverReport | null;
  /** The thread has ended: these are its last counts. */
  ended?: boolean;
}

/** A worker thread of the agent's process, as `GET /v1/hooks` lists it. */
export interface ThreadInfo {
  /** `worker_threads.threadId`. */
  thread: number;
  /** The thread that started it (0: the main thread). */
  parent: number;
  /**
   * Its thread agent runs (false: started without hookwire's preload, e.g. with an `env` without
   * NODE_OPTIONS, or not reached yet by a brought-in agent; while one such is live, changes are refused).
   */
  reached: boolean;
  ended: boolean;
  /** How many attachments it has (as it last reported). */
  attachments: number;
  /** What it refused last, if anything. */
  refused?: { code: string; message: string };
}

/** What an observer report says of one site. */
export type ObserverSiteReport = ObserverReport['sites'][string];

/** The per-site entries of an observer's report. */
export function reportSites(report: ObserverReport): ObserverSiteReport[] {
  return Object.values<ObserverSiteReport>(report.sites);
}

/** true for a latency exit's site report: the one with percentiles. */
export function isLatencySite(site: ObserverSiteReport): site is LatencySiteReport {
  return 'p50Ms' in site;
}

/** The budget state an attachment's report carries, if it has one (exits/budget.ts keeps it). */
export function budgetOf(report: unknown): BudgetState | undefined {
  const budget = typeof report === 'object' && report !== null ? (report as { budget?: unknown }).budget : undefined;
  return typeof budget === 'object' && budget !== null && typeof (budget as BudgetState).state === 'string' ? (budget as BudgetState) : undefined;
}

/** `GET /v1/hooks`: the registry snapshot and the attachments with their reports. */
export interface Listing {
  pid: number;
  /** Epoch milliseconds of the snapshot. */
  time: number;
  registry: RegistrySnapshot;
  attachments: AttachmentInfo[];
  /** The process's worker threads, when it has had any under the agent: the live ones and the last 16 ended. */
  threads?: ThreadInfo[];
}

/** `POST /v1/attach` (status 201). */
export interface AttachAnswer {
  attached: AttachmentInfo;
}

/** What an arm or disarm changed: the attachment or hook, and the armed state of each exit it touched. */
export interface ArmResult {
  name: string;
  exits: { name: string; armed: boolean }[];
}

/** `POST /v1/arm`. */
export interface ArmAnswer {
  armed: ArmResult;
}

/** `POST /v1/disarm`. */
export interface DisarmAnswer {
  disarmed: ArmResult;
}

/** `POST /v1/remove`: the attachment's last state. */
export interface RemoveAnswer {
  removed: AttachmentInfo;
}

/** Every failure, with a 4xx or 5xx status: the `HookError` code of the layer that refused. */
export interface ErrorAnswer {
  error: { code: string; message: string };
}

/** One tick of the event stream's `stats` event. */
export interface StatsTick {
  time: number;
  hooks: { name: string; enabled: boolean; exits: ExitSnapshot[] }[];
  attachments: AttachmentInfo[];
  /** Events this subscriber lost because it did not keep up. */
  dropped: number;
}

/** A `stats` event when the agent could not take its stats. */
export interface StatsFailure {
  error: string;
  dropped: number;
}

/** One event of `GET /v1/events`: a trace record, or a stats tick (the stream starts with one). */
export type AgentEvent = { event: 'trace'; data: TraceRecord } | { event: 'stats'; data: StatsTick | StatsFailure };

/** Checks `GET /v1/agent`'s answer. */
export function checkAgentInfo(answer: unknown): AgentInfo {
  return checked('GET /v1/agent', agentInfoShape, answer);
}

/** Checks `GET /v1/hooks`'s answer. */
export function checkListing(answer: unknown): Listing {
  return checked('GET /v1/hooks', listingShape, answer);
}

/** Checks `POST /v1/attach`'s answer. */
export function checkAttachAnswer(answer: unknown): AttachAnswer {
  return checked('POST /v1/attach', object<AttachAnswer>({ attached: attachmentShape }), answer);
}

/** Checks `POST /v1/arm`'s answer. */
export function checkArmAnswer(answer: unknown): ArmAnswer {
  return checked('POST /v1/arm', object<ArmAnswer>({ armed: armResultShape }), answer);
}

/** Checks `POST /v1/disarm`'s answer. */
export function checkDisarmAnswer(answer: unknown): DisarmAnswer {
  return checked('POST /v1/disarm', object<DisarmAnswer>({ disarmed: armResultShape }), answer);
}

/** Checks `POST /v1/remove`'s answer. */
export function checkRemoveAnswer(answer: unknown): RemoveAnswer {
  return checked('POST /v1/remove', object<RemoveAnswer>({ removed: attachmentShape }), answer);
}

/**
 * Checks one event of the stream. Events of other names are null (to be skipped: a newer agent
 * may send more); a trace or stats event that does not fit is ERR_INTERNAL.
 */
export function checkEvent(event: string, data: unknown): AgentEvent | null {
  if (event === 'trace') return { event, data: checked('the trace event', traceRecordShape, data) };
  if (event === 'stats') return { event, data: checked('the stats event', statsShape, data) };
  return null;
}

/**
 * The HookError an error answer stands for, carrying the HTTP `status`. An answer without a
 * proper `{ error: { code, message } }` still becomes one: ERR_INTERNAL, "the agent answered <status>".
 */
export function errorFromAnswer(answer: unknown, status: number): HookError & { status: number } {
  const error = typeof answer === 'object' && answer !== null ? (answer as { error?: { code?: unknown; message?: unknown } }).error : undefined;
  const code = typeof error?.code === 'string' ? error.code : 'ERR_INTERNAL';
  const message = typeof error?.message === 'string' ? error.message : `the agent answered ${status}`;
  return Object.assign(new HookError(code, message), { status });
}

// Shapes of the answers.

function checked<T>(what: string, shape: Shape<T>, value: unknown): T {
  try {
    return shape(value, '');
  } catch (error) {
    if (!(error instanceof ShapeMismatch)) throw error;
    throw new HookError(
      'ERR_INTERNAL',
      `the agent's answer to ${what} does not follow the control protocol (is it another hookwire version?): ${error.message}`,
    );
  }
}

const stats = object<AttachmentInfo['stats']>({ hits: number, faults: number, missed: number });
const numberOrNull = nullable(number);

const siteCounters = { hits: number, faults: number, errors: number };
const reportShape: Shape<ObserverReport> = taggedBy<ObserverReport>('type', {
  count: object({ type: oneOf(['count']), faults: number, sites: recordOf(object(siteCounters)) }),
  latency: object({
    type: oneOf(['latency']),
    faults: number,
    sites: recordOf(
      object({
        ...siteCounters,
        count: number,
        settled: number,
        p50Ms: numberOrNull,
        p90Ms: numberOrNull,
        p99Ms: numberOrNull,
        maxMs: numberOrNull,
        minMs: numberOrNull,
        meanMs: numberOrNull,
      }),
    ),
  }),
  trace: object({ type: oneOf(['trace']), faults: number, sites: recordOf(object({ ...siteCounters, recorded: number, lost: number })) }),
  assert: object({
    type: oneOf(['assert']),
    faults: number,
    sites: recordOf(
      object({ hits: number, faults: number, checks: number, failures: number, captured: nullable(string), captureError: optional(string) }),
    ),
  }),
  span: object({ type: oneOf(['span']), faults: number, sites: recordOf(object({ ...siteCounters, spans: number })) }),
  publish: object({
    type: oneOf(['publish']),
    faults: number,
    sites: recordOf(object({ hits: number, faults: number, published: number, subscribed: boolean, waiting: boolean })),
  }),
});

const attachmentShape = object<AttachmentInfo>({
  name: string,
  target: string,
  kind: oneOf(['hook', 'probe']),
  type: oneOf(EXIT_TYPES),
  exit: recordOf(anything),
  status: oneOf(['attached', 'pending', 'removed']),
  reason: optional(string),
  armed: boolean,
  stats,
  report: nullable(reportShape),
  threads: optional(
    arrayOf(
      object<AttachmentThreadPart>({
        thread: number,
        status: oneOf(['attached', 'pending', 'removed']),
        armed: boolean,
        stats,
        report: nullable(reportShape),
        ended: optional(boolean),
      }),
    ),
  ),
});

const exitSnapshotShape = object<ExitSnapshot>({
  name: string,
  order: (value, path) => (typeof value === 'number' ? value : oneOf(['first', 'last', 'only'])(value, path)),
  armed: boolean,
  hits: number,
  faults: number,
});

const listingShape = object<Listing>({
  pid: number,
  time: number,
  registry: object<RegistrySnapshot>({
    sealed: boolean,
    faults: number,
    hooks: arrayOf(
      object({
        name: string,
        kind: oneOf(Object.keys(KINDS) as (keyof typeof KINDS)[]),
        enabled: boolean,
        sealed: boolean,
        exclusive: boolean,
        faults: oneOf(['propagate', 'isolate']),
        args: nullable(arrayOf(string)),
        description: optional(string),
        meta: optional(recordOf((value, path) => (typeof value === 'number' || typeof value === 'boolean' ? value : string(value, path)))),
        exits: arrayOf(exitSnapshotShape),
      }),
    ),
  }),
  attachments: arrayOf(attachmentShape),
  threads: optional(
    arrayOf(
      object<ThreadInfo>({
        thread: number,
        parent: number,
        reached: boolean,
        ended: boolean,
        attachments: number,
        refused: optional(object({ code: string, message: string })),
      }),
    ),
  ),
});

const agentInfoShape = object<AgentInfo>({
  pid: number,
  ppid: number,
  argv: arrayOf(string),
  cwd: string,
  node: string,
  startedAt: number,
  uptimeMs: number,
  transport: oneOf(['unix', 'tcp', 'unix+tcp']),
  protocol: optional(number),
  attachFromEnv: optional(number),
  problems: optional(number),
  run: optional(string),
  runFirst: optional(number),
});

const armResultShape = object<ArmResult>({ name: string, exits: arrayOf(object({ name: string, armed: boolean })) });

const traceRecordShape = object<TraceRecord>({
  time: number,
  site: string,
  event: oneOf(['fire', 'call']),
  args: anything,
  result: anything,
  error: optional(object({ name: string, message: string })),
  durationMs: optional(number),
  async: optional(boolean),
});

const statsShape: Shape<StatsTick | StatsFailure> = (value, path) =>
  typeof value === 'object' && value !== null && 'error' in value
    ? object<StatsFailure>({ error: string, dropped: number })(value, path)
    : object<StatsTick>({
        time: number,
        hooks: arrayOf(object({ name: string, enabled: boolean, exits: arrayOf(exitSnapshotShape) })),
        attachments: arrayOf(attachmentShape),
        dropped: number,
      })(value, path);
