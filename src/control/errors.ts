import { HookError } from '../core/errors.ts';
import type { ErrorAnswer } from './protocol.ts';

/**
 * Error codes the control layer adds to the core's. Every failure an agent reports travels as
 * `{ error: { code, message } }` with the HTTP status that belongs to the code.
 */
export const ControlErrorCodes = {
  /** No hook, probe attachment or exit by that name; or no such endpoint. */
  ERR_NOT_FOUND: 'ERR_NOT_FOUND',
  /** The endpoint exists but not for this HTTP method. */
  ERR_METHOD_NOT_ALLOWED: 'ERR_METHOD_NOT_ALLOWED',
  /** The request body is not JSON. */
  ERR_INVALID_JSON: 'ERR_INVALID_JSON',
  /** The request body is larger than the limit. */
  ERR_BODY_TOO_LARGE: 'ERR_BODY_TOO_LARGE',
  /** A TCP request came without the agent's bearer token (or with a wrong one). */
  ERR_UNAUTHORIZED: 'ERR_UNAUTHORIZED',
  /** The client was too slow to send its request. */
  ERR_TIMEOUT: 'ERR_TIMEOUT',
  /** An attachment with this name exists already. */
  ERR_NAME_TAKEN: 'ERR_NAME_TAKEN',
  /** Too many attachments or event subscribers. */
  ERR_LIMIT: 'ERR_LIMIT',
  /** A live server listens on the agent's socket path already: it is not taken over. */
  ERR_SOCKET_IN_USE: 'ERR_SOCKET_IN_USE',
  /** The runtime directory is not private to this user. */
  ERR_INSECURE_DIR: 'ERR_INSECURE_DIR',
  /** No agent answers for this process. */
  ERR_AGENT_UNREACHABLE: 'ERR_AGENT_UNREACHABLE',
  /**
   * A change was sent but its answer did not come in time (a program stopped, busy, or waiting for
   * a busy thread): the agent may still make it once it gets to it. The client's, never an answer.
   */
  ERR_NO_ANSWER: 'ERR_NO_ANSWER',
  /** A cross-thread call (`armEverywhere`, …) made in a worker thread: the cross-thread API is the main thread's. */
  ERR_NOT_MAIN_THREAD: 'ERR_NOT_MAIN_THREAD',
  /**
   * A live worker thread runs without hookwire's thread agent, so no change can reach it: the
   * program was not started with the thread preload (`hookwire run` adds it), or the worker was
   * given an `env` without NODE_OPTIONS. The change is refused in every thread.
   */
  ERR_THREAD_UNREACHED: 'ERR_THREAD_UNREACHED',
  /** A fault inside the agent itself. */
  ERR_INTERNAL: 'ERR_INTERNAL',
} as const;

const statusByCode: Record<string, number> = {
  ERR_INVALID_ARG: 400,
  ERR_INVALID_JSON: 400,
  ERR_UNAUTHORIZED: 401,
  ERR_NOT_FOUND: 404,
  ERR_MODULE_NOT_FOUND: 404,
  ERR_METHOD_NOT_ALLOWED: 405,
  ERR_TIMEOUT: 408,
  ERR_HOOK_EXISTS: 409,
  ERR_HOOK_BUSY: 409,
  ERR_HOOK_ORDER: 409,
  ERR_HOOK_SEALED: 409,
  ERR_NAME_TAKEN: 409,
  ERR_SOCKET_IN_USE: 409,
  ERR_NOT_MAIN_THREAD: 409,
  ERR_THREAD_UNREACHED: 409,
  ERR_HOOK_TERMINATED: 410,
  ERR_EXIT_DEREGISTERED: 410,
  ERR_BODY_TOO_LARGE: 413,
  ERR_LIMIT: 429,
  ERR_INTERNAL: 500,
};

/** The HTTP status for an error code: 4xx for anything the client can fix, 500 otherwise. */
export function httpStatus(code: string): number {
  return statusByCode[code] ?? (code.startsWith('ERR_PROBE') || code.startsWith('ERR_EXIT') ? 400 : 500);
}

/** Turns anything thrown into the JSON body of an error response. */
export function errorBody(error: unknown): ErrorAnswer {
  if (error instanceof HookError) return { error: { code: error.code, message: error.message } };
  const message = error instanceof Error ? error.message : String(error);
  return { error: { code: 'ERR_INTERNAL', message } };
}
