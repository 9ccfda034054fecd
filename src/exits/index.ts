/**
 * hookwire/exits: the catalogue of ready exits. Each is an {@link Observer} that records hits at
 * declared hooks and probes without changing the program — `trace`, `count`, `latency`, `assert` —
 * made from code or from a JSON spec, attached with `attach`, reporting per site as plain JSON.
 */
import { ESM_SPECS } from '../probe/esm-specs.ts';
import { useEsmSpecs } from '../probe/loader.ts';

export { trace, type TraceOptions } from './trace.ts';
export { count } from './count.ts';
export { latency, type LatencyOptions } from './latency.ts';
export { assert, type AssertOptions, type AssertCapture } from './assert.ts';
export { span, ERR_PEER_MISSING, type SpanOptions, type SpanReport, type SpanSiteReport } from './span.ts';
export { publish, channelNameOf, type PublishMessage, type PublishReport, type PublishSiteReport } from './publish.ts';
export { observerFromSpec, type SpecDefaults } from './spec.ts';
export { parseExitSpec, parseExitList, type ExitSpec } from './exit-spec.ts';
export { EXIT_TYPES, NAMED_EXIT_TYPES, SPEC_FIELDS } from './exit-types.ts';
export { attach, type AttachOptions } from './attach.ts';
export { parseChannelName, channelSubscribed, type ChannelName } from './channel-site.ts';
export { summarize, DEFAULT_LIMITS, DEFAULT_REDACT, type SummaryLimits } from './summarize.ts';
export {
  compilePredicate,
  PREDICATE_LIMITS,
  type Predicate,
  type PredicateOp,
  type PredicateTest,
  type PredicateValue,
  type CompiledPredicate,
  type PredicateSubject,
} from './predicate.ts';
export { type TraceRecord, type TraceSink } from './sinks.ts';
export { formatTrace, traceColors, type TraceColors } from './trace-line.ts';
export type {
  AssertReport,
  AssertSiteReport,
  CountReport,
  ReportOf,
  LatencyReport,
  TraceReport,
  ClockOptions,
  CountSiteReport,
  LatencySiteReport,
  Observer,
  ObserverReport,
  ObserverType,
  ProbeCallContext,
  ProbeHandlers,
  SiteReport,
  TraceSiteReport,
} from './observer.ts';

// `attach` takes probe specs of source lines and ES modules synchronously through this door, as
// `hookwire/probe` does: their branches are loaded with it.
useEsmSpecs(ESM_SPECS);
