/**
 * Answers written straight to a socket, for refusals made before (or instead of) Node's HTTP
 * parser handing over a request: a malformed or slow request, a tunnel, a connection over the
 * limit or from another user. Each is the same JSON error body as every other refusal, with its
 * stable code, and the connection is closed after it.
 */
import type { Socket } from 'node:net';
import { HookError } from '../core/errors.ts';
import { errorBody } from './errors.ts';

/** How long a refused client has to read its answer and close before the connection is cut. */
const LINGER_MS = 1_000;

/** Reason phrases of the statuses written here. */
const REASONS: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
};

/** Writes a JSON error answer with `status` to a socket no request is being answered on, and closes it. */
export function endRaw(socket: Socket, status: number, error: HookError): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(errorBody(error));
  // A client that never closes its side would otherwise hold the connection, a file descriptor,
  // for good (HTTP servers allow half-open sockets): it gets LINGER_MS to read the answer.
  const linger = setTimeout(() => socket.destroy(), LINGER_MS);
  linger.unref();
  socket.once('close', () => clearTimeout(linger));
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\ncontent-type: application/json; charset=utf-8\r\n` +
      `cache-control: no-store\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/**
 * The answer to a request Node's HTTP parser refused (the server's `clientError`): 408 ERR_TIMEOUT
 * for headers or a request too slow to arrive, 431 for headers over the size limit, 400
 * ERR_INVALID_ARG for anything malformed.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  const timeout = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const status = timeout ? 408 : tooLarge ? 431 : 400;
  const message = timeout
    ? 'the request took too long to arrive'
    : tooLarge
      ? 'the request headers are too large (16 KiB at most)'
      : `malformed HTTP request (${error.code ?? 'parse error'})`;
  endRaw(socket, status, new HookError(timeout ? 'ERR_TIMEOUT' : 'ERR_INVALID_ARG', message));
}
