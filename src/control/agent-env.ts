/**
 * The agent's environment variables, read by the rules of agent-config.ts with every check at hand
 * (the agent itself loads the checks only for the variables that are set: `loadAgentEnv`).
 */
import { readAgentEnvWith, type AgentConfig } from './agent-config.ts';
import { parseMetricsAddress } from './metrics.ts';
import { parseOtlpUrl } from './otlp.ts';
import { validateAttachRequest } from './requests.ts';

export { parseControlMode, type AgentConfig } from './agent-config.ts';

/** Reads the agent's configuration. Never throws: what cannot be used is listed in `problems`. */
export function readAgentEnv(env: NodeJS.ProcessEnv): AgentConfig {
  return readAgentEnvWith(env, { attach: validateAttachRequest, metrics: parseMetricsAddress, otlp: parseOtlpUrl });
}
