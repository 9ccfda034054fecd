/**
 * The page's calls to its server: JSON requests (same origin, the session cookie sent by the
 * browser) and the event stream. The server checks and passes them on; the page sends only the
 * control protocol's request bodies.
 */
import type { ArmRequest, AttachRequest, Listing, RemoveRequest } from '../../src/control/protocol.ts';

/** A refusal as the server words it: `{ error: { code, message } }`. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, message: string, status: number) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.headers = { accept: 'application/json', 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  let parsed: unknown = null;
  try {
    parsed = await res.json();
  } catch {
    // Reported below by status.
  }
  if (!res.ok) {
    const error = (parsed as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    throw new ApiError(
      typeof error?.code === 'string' ? error.code : 'ERR_INTERNAL',
      typeof error?.message === 'string' ? error.message : `the server answered ${res.status}`,
      res.status,
    );
  }
  return parsed as T;
}

export const api = {
  listing: (pid: number) => call<Listing>('GET', `/api/agents/${pid}/hooks`),
  catalogue: () => call<{ exitTypes: string[]; namedExitTypes: string[] }>('GET', '/api/catalogue'),
  attach: (pid: number, body: AttachRequest) => call<unknown>('POST', `/api/agents/${pid}/attach`, body),
  arm: (pid: number, body: ArmRequest) => call<unknown>('POST', `/api/agents/${pid}/arm`, body),
  disarm: (pid: number, body: ArmRequest) => call<unknown>('POST', `/api/agents/${pid}/disarm`, body),
  remove: (pid: number, body: RemoveRequest) => call<unknown>('POST', `/api/agents/${pid}/remove`, body),
};

/** Handlers of the page's event stream, by event name. */
export interface StreamHandlers {
  agents(data: unknown): void;
  stats(data: unknown): void;
  trace(data: unknown): void;
  ended(data: unknown): void;
  dropped(data: unknown): void;
  connection(open: boolean): void;
}

/** Opens `/api/events`; the browser reconnects by itself after a break. Returns the closer. */
export function openStream(handlers: StreamHandlers): () => void {
  const source = new EventSource('/api/events');
  for (const name of ['agents', 'stats', 'trace', 'ended', 'dropped'] as const) {
    source.addEventListener(name, (e) => {
      try {
        handlers[name](JSON.parse((e as MessageEvent<string>).data));
      } catch {
        // A malformed event is skipped; the next tick brings the whole state again.
      }
    });
  }
  source.addEventListener('open', () => handlers.connection(true));
  source.addEventListener('error', () => handlers.connection(false));
  return () => source.close();
}
