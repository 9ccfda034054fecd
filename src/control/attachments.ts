import { armAll, disarmAll, HookError, type AnyHook, type Registry } from '../core/index.ts';

/** A trace record as the catalogue's trace exit produces it (plain JSON). */
export type TraceRecord = Record<string, unknown>;

/** What the control layer needs of an observer of the exit catalogue. */
export interface ObserverLike {
  readonly type: string;
  report(): ObserverReportLike;
  close(): void;
}

/** An observer's report: counters per site (hook or probe name). */
export interface ObserverReportLike {
  type: string;
  sites: Record<string, { hits: number }>;
  faults: number;
}

/** What the control layer needs of an attached exit or probe. */
export interface HandleLike {
  readonly name: string;
  readonly armed: boolean;
  readonly stats: { readonly hits: number; readonly faults: number; readonly missed?: number };
  /** Probes only: 'pending' until the module that holds the target is loaded. */
  readonly status?: 'attached' | 'pending';
  arm(): unknown;
  disarm(): unknown;
}

/**
 * The exit catalogue, as the control layer uses it. The agent passes the real one (see
 * `catalogue.ts`); nothing here evaluates code: an exit is chosen by a JSON spec.
 */
export interface Catalogue {
  /**
   * Builds an observer from a JSON spec; a trace observer's records go to `onRecord` unless the
   * spec names a file sink, which only `allowFiles` permits (the environment may, a socket client
   * may not).
   */
  observer(spec: unknown, onRecord: (record: TraceRecord) => void, options: { allowFiles: boolean }): ObserverLike;
  /** Attaches the observer to a declared hook or to a probe spec. */
  attach(observer: ObserverLike, target: AnyHook | string, options: { name: string; armed: boolean }): HandleLike;
  /** Takes an attached exit or probe away again. */
  detach(handle: HandleLike): void;
}

/** An attachment as it is listed: what was asked, where it stands, and what it has seen. */
export interface AttachmentInfo {
  name: string;
  /** The hook name or probe spec, as given. */
  target: string;
  /** `hook`: an exit on a declared hook; `probe`: a probe on a function named by spec. */
  kind: 'hook' | 'probe';
  /** The exit's type (trace, count, latency, assert). */
  type: string;
  /** The exit spec, as normalised JSON. */
  exit: Record<string, unknown>;
  /** `pending`: the hook is not declared yet, or the probed module is not loaded yet. */
  status: 'attached' | 'pending';
  armed: boolean;
  stats: { hits: number; faults: number; missed: number };
  report: ObserverReportLike | null;
}

/** A request to attach a catalogue exit. */
export interface AttachRequest {
  /** A declared hook's name, `probe:<spec>`, or a probe spec (`module#path`). */
  target: string;
  /** The exit: a JSON spec such as `{ "type": "trace", "every": 10 }`, or just its type name. */
  exit: Record<string, unknown>;
  name?: string;
  armed?: boolean;
}

interface Attachment {
  name: string;
  target: string;
  kind: 'hook' | 'probe';
  exit: Record<string, unknown>;
  observer: ObserverLike;
  /** null while the hook is not declared yet (attachments made from the environment only). */
  handle: HandleLike | null;
  /** The armed state wanted while pending. */
  wantArmed: boolean;
}

/** Limits of an attachment set. */
export const MAX_ATTACHMENTS = 256;
const NAME_MAX = 128;
const TARGET_MAX = 1024;

/**
 * The exits a control client (or the environment) attached to a running program, by name. It is
 * the whole of what the control endpoints may change: catalogue exits it made itself, and the
 * armed state of the program's own exits. Every method validates first and changes nothing on
 * failure.
 */
export class Attachments {
  readonly registry: Registry;
  readonly #catalogue: Catalogue;
  readonly #onRecord: (record: TraceRecord) => void;
  readonly #items = new Map<string, Attachment>();

  constructor(registry: Registry, catalogue: Catalogue, onRecord: (record: TraceRecord) => void) {
    this.registry = registry;
    this.#catalogue = catalogue;
    this.#onRecord = onRecord;
  }

  /** Number of attachments waiting for their hook to be declared. */
  get pendingHooks(): number {
    let n = 0;
    for (const a of this.#items.values()) if (a.handle === null) n++;
    return n;
  }

  /**
   * Attaches a catalogue exit. With `allowPending`, a hook name that is not declared yet is kept
   * and attached by {@link resolvePending} once the program declares it; otherwise it is
   * ERR_NOT_FOUND. `allowFiles` lets the exit spec name files (trace sink, assert captures);
   * `onRecord` replaces where its trace records go (default: the set's own listener).
   */
  attach(
    request: unknown,
    options: { allowPending?: boolean; allowFiles?: boolean; onRecord?: (record: TraceRecord) => void } = {},
  ): AttachmentInfo {
    const req = validateAttachRequest(request);
    if (this.#items.size >= MAX_ATTACHMENTS) {
      throw new HookError('ERR_LIMIT', `at most ${MAX_ATTACHMENTS} attachments per agent`);
    }
    const type = String(req.exit['type']);
    const name = req.name ?? this.#freeName(defaultName(type, req.target));
    if (this.#items.has(name)) throw new HookError('ERR_NAME_TAKEN', `an attachment named "${name}" exists already`);
    const armed = req.armed ?? true;
    const resolved = this.#resolveTarget(req.target, options.allowPending === true);
    const observer = this.#catalogue.observer(req.exit, options.onRecord ?? this.#onRecord, { allowFiles: options.allowFiles === true });
    let handle: HandleLike | null = null;
    try {
      if (resolved !== null) handle = this.#catalogue.attach(observer, resolved.target, { name, armed });
    } catch (error) {
      safely(() => observer.close());
      throw error;
    }
    const item: Attachment = {
      name,
      target: req.target,
      kind: resolved?.kind ?? 'hook',
      exit: req.exit,
      observer,
      handle,
      wantArmed: armed,
    };
    this.#items.set(name, item);
    return info(item);
  }

  /** Attaches pending hook attachments whose hooks are declared by now; returns how many remain. */
  resolvePending(): number {
    let left = 0;
    for (const item of this.#items.values()) {
      if (item.handle !== null) continue;
      const hook = this.registry.get(item.target);
      if (hook === undefined) {
        left++;
        continue;
      }
      try {
        item.handle = this.#catalogue.attach(item.observer, hook, { name: item.name, armed: item.wantArmed });
      } catch {
        // A sealed or exclusive hook: the attachment stays pending and is listed so.
        left++;
      }
    }
    return left;
  }

  /**
   * Arms (or disarms) by name: an attachment; else a declared hook's exits — all of them at once
   * (all or nothing), or the one named by `exit`.
   */
  setArmed(request: unknown, armed: boolean): { name: string; exits: { name: string; armed: boolean }[] } {
    const req = validateNameRequest(request, true);
    const item = this.#items.get(req.name);
    if (item !== undefined && req.exit === undefined) {
      if (item.handle === null) item.wantArmed = armed;
      else if (armed) item.handle.arm();
      else item.handle.disarm();
      return { name: item.name, exits: [{ name: item.name, armed: item.handle?.armed ?? item.wantArmed }] };
    }
    const hook = this.registry.get(req.name);
    if (hook === undefined) throw new HookError('ERR_NOT_FOUND', `no attachment and no hook named "${req.name}"`);
    const exits = req.exit === undefined ? [...hook.exits] : hook.exits.filter((e) => e.name === req.exit);
    if (req.exit !== undefined && exits.length === 0) {
      throw new HookError('ERR_NOT_FOUND', `hook "${hook.name}" has no exit named "${req.exit}"`);
    }
    if (armed) armAll(exits);
    else disarmAll(exits);
    return { name: hook.name, exits: exits.map((e) => ({ name: e.name, armed: e.armed })) };
  }

  /** Removes an attachment: its exit is deregistered (or its probe removed) and its observer closed. */
  remove(request: unknown): AttachmentInfo {
    const req = validateNameRequest(request, false);
    const item = this.#items.get(req.name);
    if (item === undefined) {
      const hint = this.registry.get(req.name) ? ' (the program\'s own hooks and exits can be disarmed, not removed)' : '';
      throw new HookError('ERR_NOT_FOUND', `no attachment named "${req.name}"${hint}`);
    }
    if (item.handle !== null) this.#catalogue.detach(item.handle);
    const last = info(item);
    this.#items.delete(item.name);
    safely(() => item.observer.close());
    return last;
  }

  /** Every attachment, with its observer's report. */
  list(): AttachmentInfo[] {
    return [...this.#items.values()].map(info);
  }

  /** Removes every attachment, ignoring failures (used when the agent shuts down). */
  closeAll(): void {
    for (const item of [...this.#items.values()]) {
      safely(() => {
        if (item.handle !== null) this.#catalogue.detach(item.handle);
      });
      safely(() => item.observer.close());
      this.#items.delete(item.name);
    }
  }

  #freeName(base: string): string {
    if (!this.#items.has(base)) return base;
    for (let i = 2; ; i++) if (!this.#items.has(`${base}#${i}`)) return `${base}#${i}`;
  }

  #resolveTarget(target: string, allowPending: boolean): { kind: 'hook' | 'probe'; target: AnyHook | string } | null {
    if (target.startsWith('probe:')) return { kind: 'probe', target: target.slice('probe:'.length) };
    const hook = this.registry.get(target);
    if (hook !== undefined) return { kind: 'hook', target: hook };
    if (target.includes('#')) return { kind: 'probe', target };
    if (allowPending && /^[^\s:]+:\S+$/u.test(target)) return null;
    throw new HookError(
      'ERR_NOT_FOUND',
      `no hook named "${target}" is declared (a probe target is a spec like "./lib/db.js#query" or "node:fs#readFileSync")`,
    );
  }
}

/** `<type>@<target>`, shortened from the left to fit an exit name. */
function defaultName(type: string, target: string): string {
  const full = `${type}@${target}`;
  return full.length <= NAME_MAX - 4 ? full : `${type}@…${target.slice(-(NAME_MAX - type.length - 6))}`;
}

function info(item: Attachment): AttachmentInfo {
  const h = item.handle;
  let report: ObserverReportLike | null = null;
  try {
    report = item.observer.report();
  } catch {
    report = null;
  }
  return {
    name: item.name,
    target: item.target,
    kind: item.kind,
    type: item.observer.type,
    exit: item.exit,
    status: h === null ? 'pending' : (h.status ?? 'attached'),
    armed: h === null ? item.wantArmed : h.armed,
    stats: { hits: h?.stats.hits ?? 0, faults: h?.stats.faults ?? 0, missed: h?.stats.missed ?? 0 },
    report,
  };
}

/** Checks an attach request's shape: unknown keys, wrong types and oversize strings are ERR_INVALID_ARG. */
export function validateAttachRequest(request: unknown): AttachRequest {
  const body = plainObject(request, 'an attach request');
  onlyKeys(body, ['target', 'exit', 'name', 'armed'], 'an attach request');
  const target = body['target'];
  if (typeof target !== 'string' || target.length === 0 || target.length > TARGET_MAX || /\p{Cc}/u.test(target)) {
    throw new HookError('ERR_INVALID_ARG', `"target" must be a hook name or a probe spec (1 to ${TARGET_MAX} characters)`);
  }
  let exit = body['exit'];
  if (typeof exit === 'string') exit = { type: exit };
  const spec = plainObject(exit, '"exit"');
  if (typeof spec['type'] !== 'string') {
    throw new HookError('ERR_INVALID_ARG', '"exit" must be a catalogue exit: a type name or a JSON spec like {"type":"trace"}');
  }
  const req: AttachRequest = { target, exit: spec };
  if (body['name'] !== undefined) {
    req.name = checkName(body['name'], '"name"');
    if (req.name.length > NAME_MAX) throw new HookError('ERR_INVALID_ARG', `"name" must be at most ${NAME_MAX} characters`);
  }
  if (body['armed'] !== undefined) {
    if (typeof body['armed'] !== 'boolean') throw new HookError('ERR_INVALID_ARG', '"armed" must be true or false');
    req.armed = body['armed'];
  }
  return req;
}

function validateNameRequest(request: unknown, withExit: boolean): { name: string; exit?: string } {
  const body = plainObject(request, 'the request');
  onlyKeys(body, withExit ? ['name', 'exit'] : ['name'], 'the request');
  const out: { name: string; exit?: string } = { name: checkName(body['name'], '"name"') };
  if (body['exit'] !== undefined) out.exit = checkName(body['exit'], '"exit"');
  return out;
}

function checkName(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > TARGET_MAX || /\p{Cc}/u.test(value)) {
    throw new HookError('ERR_INVALID_ARG', `${what} must be a non-empty string without control characters`);
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

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // Cleanup must go on whatever one observer does.
  }
}
