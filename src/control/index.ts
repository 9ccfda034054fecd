/**
 * hookwire/control: steer a running Node program from outside. The agent (`hookwire/agent`)
 * serves the control protocol on a private Unix socket; this module has the client that
 * `hookwire` uses, the server for programs that start it themselves, the protocol's request and
 * answer types, and the agent's configuration. Everything else in `src/control/` is internal.
 */

// The client.
export { ControlClient, connectAgent, listAgents, type AgentAddress, type AgentEntry } from './client.ts';
export { runtimeDir } from './runtime-dir.ts';

// The server.
export { startControlServer, type ControlServer, type ControlServerOptions } from './server.ts';
export { exitCatalogue, type Catalogue, type ExitOrProbe } from './catalogue.ts';

// The protocol: what each route takes and answers, and the error codes it adds.
export type {
  AgentEvent,
  AgentInfo,
  ArmAnswer,
  ArmRequest,
  ArmResult,
  AttachAnswer,
  AttachmentInfo,
  AttachmentThreadPart,
  AttachRequest,
  DisarmAnswer,
  ErrorAnswer,
  ExitSpec,
  Listing,
  ObserverSiteReport,
  RemoveAnswer,
  RemoveRequest,
  StatsFailure,
  StatsTick,
  ThreadInfo,
  ValidAttachRequest,
} from './protocol.ts';
export { PROTOCOL } from './protocol.ts';
export { ControlErrorCodes } from './errors.ts';

// Every thread at once, in a program under the agent: armAll, disarmAll and synchronize() across worker threads.
export {
  armEverywhere,
  disarmEverywhere,
  synchronizeEverywhere,
  type EverywhereOptions,
  type EverywhereResult,
  type ThreadExitSelector,
  type ThreadExitSelectors,
} from './threads/everywhere.ts';

// The agent: its configuration and what it leaves at exit.
export { readAgentEnv, type AgentConfig } from './agent-env.ts';
export type { MetricsAddress } from './metrics.ts';
export type { AgentSummary } from './summary.ts';
export type { Cumulative } from './threads/distribution.ts';
