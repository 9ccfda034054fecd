/**
 * The server's checks of the control protocol's request bodies (protocol.ts declares them): an
 * unknown field, a wrong type or an oversize string is an ERR_INVALID_ARG, as docs/control.md
 * lists, before anything changes. The UI server checks its page's requests here too. Apart from
 * protocol.ts, whose answer checks the CLI's commands load: these need the exit spec parser.
 */
import { HookError } from '../core/errors.ts';
// exit-spec.ts, not the exits' index: checking a request must not load every exit type (start-up).
import { parseExitSpec } from '../exits/exit-spec.ts';
import type { ArmRequest, RemoveRequest, ValidAttachRequest } from './protocol.ts';

/** Longest attachment name a request may give. */
export const NAME_MAX = 128;
/** Longest target (hook name or probe spec) a request may give. */
export const TARGET_MAX = 1024;

/** Checks an attach request's shape: unknown keys, wrong types and oversize strings are ERR_INVALID_ARG. */
export function validateAttachRequest(request: unknown): ValidAttachRequest {
  const body = plainObject(request, 'an attach request');
  onlyKeys(body, ['target', 'exit', 'name', 'armed', 'lease'], 'an attach request');
  const target = body['target'];
  if (typeof target !== 'string' || target.length === 0 || target.length > TARGET_MAX || /\p{Cc}/u.test(target)) {
    throw new HookError('ERR_INVALID_ARG', `"target" must be a hook name or a probe spec (1 to ${TARGET_MAX} characters)`);
  }
  // The exit spec is checked whole by the catalogue's one parser, the same as the CLI's.
  const req: ValidAttachRequest = { target, exit: parseExitSpec(body['exit']) };
  if (body['name'] !== undefined) {
    req.name = checkName(body['name'], '"name"');
    if (req.name.length > NAME_MAX) throw new HookError('ERR_INVALID_ARG', `"name" must be at most ${NAME_MAX} characters`);
  }
  if (body['armed'] !== undefined) {
    if (typeof body['armed'] !== 'boolean') throw new HookError('ERR_INVALID_ARG', '"armed" must be true or false');
    req.armed = body['armed'];
  }
  if (body['lease'] !== undefined) req.lease = checkLease(body['lease'], '"lease"');
  return req;
}

/** The event stream's `lease` query parameter, if given (see leases.ts). */
export function validateEventsLease(query: URLSearchParams): string | undefined {
  const lease = query.get('lease');
  return lease === null ? undefined : checkLease(lease, '"lease"');
}

/** A lease id: 8 to 64 letters, digits, `-` or `_` (the client chooses it). */
function checkLease(value: unknown, what: string): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]{8,64}$/u.test(value)) {
    throw new HookError('ERR_INVALID_ARG', `${what} must be 8 to 64 letters, digits, "-" or "_"`);
  }
  return value;
}

/** Checks an arm or disarm request: `{ name, exit? }`, anything else is ERR_INVALID_ARG. */
export function validateArmRequest(request: unknown): ArmRequest {
  const body = plainObject(request, 'the request');
  onlyKeys(body, ['name', 'exit'], 'the request');
  const out: ArmRequest = { name: checkName(body['name'], '"name"') };
  if (body['exit'] !== undefined) out.exit = checkName(body['exit'], '"exit"');
  return out;
}

/** Checks a remove request: `{ name }`, anything else is ERR_INVALID_ARG. */
export function validateRemoveRequest(request: unknown): RemoveRequest {
  const body = plainObject(request, 'the request');
  onlyKeys(body, ['name'], 'the request');
  return { name: checkName(body['name'], '"name"') };
}

/** The event stream's `interval` query parameter in milliseconds (default 1000); ERR_INVALID_ARG outside 100–60000. */
export function validateEventsInterval(query: URLSearchParams): number {
  const raw = query.get('interval');
  const interval = raw === null ? 1000 : Number(raw);
  if (!Number.isInteger(interval) || interval < 100 || interval > 60_000) {
    throw new HookError('ERR_INVALID_ARG', '"interval" must be an integer number of milliseconds from 100 to 60000');
  }
  return interval;
}

function checkName(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > TARGET_MAX || /\p{Cc}/u.test(value)) {
    throw new HookError('ERR_INVALID_ARG', `${what} must be a string of 1 to ${TARGET_MAX} characters without control characters`);
  }
  return value;
}

function plainObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HookError('ERR_INVALID_ARG', `${what} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

function onlyKeys(body: Record<string, unknown>, allowed: string[], what: string): void {
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) {
      throw new HookError('ERR_INVALID_ARG', `${what} has an unknown field "${key}" (allowed: ${allowed.join(', ')})`);
    }
  }
}
