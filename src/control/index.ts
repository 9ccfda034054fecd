/**
 * hookwire/control: steer a running Node program from outside. The agent (`hookwire/agent`)
 * serves these endpoints on a private Unix socket; this module has the server for programs that
 * start it themselves, the client that `hookwire` uses, and the runtime-directory rules both obey.
 */
export { startControlServer, removeSocketFiles, type ControlServer, type ControlServerOptions } from './server.ts';
export { ControlClient, connectAgent, listAgents, type AgentAddress, type AgentEntry, type AgentEvent } from './client.ts';
export { runtimeDir, ensureRuntimeDir, checkRuntimeDir, socketPath, tcpInfoPath } from './runtime-dir.ts';
export {
  Attachments,
  MAX_ATTACHMENTS,
  validateAttachRequest,
  type AttachmentInfo,
  type AttachRequest,
  type Catalogue,
  type HandleLike,
  type ObserverLike,
  type ObserverReportLike,
  type TraceRecord,
} from './attachments.ts';
export { exitCatalogue } from './catalogue.ts';
export { EventHub } from './events.ts';
export { BODY_LIMIT } from './body.ts';
export { ControlErrorCodes, httpStatus, errorBody } from './errors.ts';
export { readAgentEnv, type AgentConfig } from './agent-env.ts';
export { siteRows, type AgentSummary, type SiteRow } from './summary.ts';
