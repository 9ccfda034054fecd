import { HookError, type Registry } from '../core/index.ts';
import type { Observer, TraceRecord } from '../exits/index.ts';
import { describeAttachment, isPending, type Attachment } from './attachment.ts';
import { setArmed } from './arming.ts';
import type { Catalogue, ExitOrProbe } from './catalogue.ts';
import type { ArmRequest, ArmResult, AttachmentInfo, RemoveRequest, ThreadInfo, ValidAttachRequest } from './protocol.ts';
import { NAME_MAX } from './requests.ts';
import { resolveTarget } from './resolve-target.ts';
import type { ThreadFleet } from './threads/fleet.ts';
import type { ThreadState, WantedHookArming } from './threads/messages.ts';
import type { Cumulative } from './threads/distribution.ts';
import { mergeParts, threadReport } from './threads/reports.ts';

/** Most attachments one agent keeps. */
export const MAX_ATTACHMENTS = 256;

/**
 * The exits a control client (or the environment) attached to a running program, by name, from
 * attach to removal. It is the whole of what the control endpoints may change: catalogue exits it
 * made itself, and the armed state of the program's own exits. Requests come checked (see
 * `protocol.ts`); every method checks the rest first and changes nothing on failure.
 */
export class Attachments {
  readonly registry: Registry;
  readonly #catalogue: Catalogue;
  readonly #onRecord: (record: TraceRecord) => void;
  readonly #items = new Map<string, Attachment>();
  #fleet: ThreadFleet | undefined;
  #made = 0;
  /** Arms and disarms of the program's own hooks, replayed in every worker thread. */
  #hookArmings: WantedHookArming[] = [];

  constructor(registry: Registry, catalogue: Catalogue, onRecord: (record: TraceRecord) => void) {
    this.registry = registry;
    this.#catalogue = catalogue;
    this.#onRecord = onRecord;
  }

  /** Number of attachments waiting for their hook to be declared. */
  get pendingHooks(): number {
    let n = 0;
    for (const a of this.#items.values()) if (a.attached === null) n++;
    return n;
  }

  /**
   * Attaches a catalogue exit. With `allowPending`, a hook name that is not declared yet is kept
   * and attached by {@link resolvePending} once the program declares it; otherwise it is
   * ERR_NOT_FOUND. `allowFiles` lets the exit spec name files (trace sink, assert captures);
   * `allowLoad` lets a probe spec load its module (the environment may; a socket client may not:
   * its probe attaches to what is loaded or waits, pending, until the program loads the module);
   * `onRecord` replaces where its trace records go (default: the set's own listener).
   */
  attach(
    request: ValidAttachRequest,
    options: { allowPending?: boolean; allowFiles?: boolean; allowLoad?: boolean; onRecord?: (record: TraceRecord) => void } = {},
  ): AttachmentInfo {
    if (this.#items.size >= MAX_ATTACHMENTS) {
      throw new HookError('ERR_LIMIT', `at most ${MAX_ATTACHMENTS} attachments per agent`);
    }
    const type = String(request.exit['type']);
    const name = request.name ?? this.#freeName(defaultName(type, request.target));
    if (this.#items.has(name)) throw new HookError('ERR_NAME_TAKEN', `an attachment named "${name}" exists already`);
    const armed = request.armed ?? true;
    const resolved = resolveTarget(this.registry, request.target, options.allowPending === true);
    const observer = this.#catalogue.observer(request.exit, options.onRecord ?? this.#onRecord, { allowFiles: options.allowFiles === true });
    let attached: ExitOrProbe | null = null;
    try {
      if (resolved !== null)
        attached = this.#catalogue.attach(observer, resolved.kind === 'hook' ? resolved.hook : resolved.spec, {
          name,
          armed,
          load: options.allowLoad === true,
        });
    } catch (error) {
      safely(() => observer.close());
      // What the program's own code threw (a getter on the path, a module that fails to
      // evaluate) is a problem with the target, not a fault of the agent.
      if (error instanceof HookError) throw error;
      throw new HookError('ERR_PROBE_TARGET', `cannot attach to ${request.target}: the program's code threw: ${messageOf(error)}`, { cause: error });
    }
    const item: Attachment = {
      name,
      target: request.target,
      kind: resolved?.kind === 'probe' ? 'probe' : 'hook',
      exit: request.exit,
      observer,
      attached,
      wantArmed: armed,
      uid: `${++this.#made}`,
      files: options.allowFiles === true,
      route: options.onRecord ?? this.#onRecord,
    };
    this.#items.set(name, item);
    this.#fleet?.write(this.threadState());
    return describeAttachment(item);
  }

  /**
   * Loads what {@link attach} needs for `request` (its exit type, the probe branches its target
   * needs), when the catalogue loads them on demand (the agent's, issue 8); awaited before
   * `attach`. Never rejects.
   */
  prepare(request: Pick<ValidAttachRequest, 'exit' | 'target'>): Promise<void> {
    return this.#catalogue.prepare?.(request.exit, request.target) ?? Promise.resolve();
  }

  /** Attaches pending hook attachments whose hooks are declared by now; returns how many remain. */
  resolvePending(): number {
    let left = 0;
    for (const item of this.#items.values()) {
      if (item.attached !== null) continue;
      const hook = this.registry.get(item.target);
      if (hook === undefined) {
        left++;
        continue;
      }
      try {
        item.attached = this.#catalogue.attach(item.observer, hook, { name: item.name, armed: item.wantArmed });
      } catch {
        // A sealed or exclusive hook: the attachment stays pending and is listed so.
        left++;
      }
    }
    return left;
  }

  /** Arms (or disarms) an attachment, or a declared hook's exits (see `arming.ts`). */
  setArmed(request: ArmRequest, armed: boolean): ArmResult {
    const result = setArmed(this.#items, this.registry, request, armed);
    this.#fleet?.write(this.threadState());
    return result;
  }

  /** Removes an attachment: its exit is deregistered (or its probe removed) and its observer closed. */
  remove(request: RemoveRequest): AttachmentInfo {
    const item = this.#items.get(request.name);
    if (item === undefined) {
      const hint = this.registry.get(request.name) ? " (the program's own hooks and exits can be disarmed, not removed)" : '';
      throw new HookError('ERR_NOT_FOUND', `no attachment named "${request.name}"${hint}`);
    }
    if (item.attached !== null) this.#catalogue.detach(item.attached);
    const last = describeAttachment(item);
    this.#items.delete(item.name);
    this.#fleet?.write(this.threadState());
    safely(() => item.observer.close());
    return last;
  }

  /** The observer of the attachment `name` (exporters read more than its report: /metrics). */
  observerOf(name: string): Observer | undefined {
    return this.#items.get(name)?.observer;
  }

  /**
   * Every attachment, with its observer's report. With worker threads, the counts are the sums
   * over every thread as last reported (ended threads' last counts included), and `threads` gives
   * each thread apart; {@link listEverywhere} asks every thread first.
   */
  list(): AttachmentInfo[] {
    return [...this.#items.values()].map((item) => {
      const info = describeAttachment(item);
      const parts = this.#fleet?.partsOf(item.uid) ?? [];
      if (parts.length === 0) return info;
      const merged = { ...info, ...mergeParts(threadReport(item.uid, info, item.observer), parts) };
      // Attached in some thread (a module only workers load): the attachment is attached.
      if (info.status === 'pending' && parts.some((p) => p.report.status === 'attached')) {
        merged.status = 'attached';
        delete merged.reason;
      }
      return merged;
    });
  }

  /**
   * Each latency attachment's distributions by name, one per thread that measured (ended threads'
   * last included): what the summary carries so that `hookwire run` merges percentiles over processes.
   */
  distributions(): Record<string, Cumulative[]> {
    const out: Record<string, Cumulative[]> = {};
    for (const item of this.#items.values()) {
      const own = threadReport(item.uid, describeAttachment(item), item.observer);
      const reports = [own, ...(this.#fleet?.partsOf(item.uid) ?? []).map((p) => p.report)];
      const parts = reports.flatMap((r) => Object.values(r.cumulative ?? {}));
      if (parts.length > 0) out[item.name] = parts;
    }
    return out;
  }

  /**
   * Makes every change reach the worker threads of the process too (`threads/fleet.ts`): the
   * `…Everywhere` methods then answer once every live thread applied the change, and roll it
   * back everywhere if one refuses or does not confirm in time.
   */
  spanThreads(fleet: ThreadFleet): void {
    this.#fleet = fleet;
    fleet.write(this.threadState());
  }

  /** Where a worker thread's trace record of attachment `name` goes (nowhere once it is removed). */
  routeThreadRecord(name: string, record: TraceRecord): void {
    this.#items.get(name)?.route(record);
  }

  /**
   * The worker threads known to the fleet (none without one): those whose agent started (ended
   * ones too, as the fleet keeps them), and every live one it has not reached (`reached: false`):
   * one known to run without an agent (online without a `hello`, what makes a change
   * `ERR_THREAD_UNREACHED`), one still starting, and one a brought-in agent has not reached yet
   * (guest-reach.ts). Node's own loader-hooks thread is never announced (watch-workers.ts).
   */
  threadList(): ThreadInfo[] {
    return (this.#fleet?.threads() ?? [])
      .filter((t) => t.reached || !t.ended)
      .map((t) => ({
        thread: t.thread,
        parent: t.parent,
        reached: t.reached,
        ended: t.ended,
        attachments: t.reports.size,
        ...(t.refused !== undefined && { refused: { code: t.refused.code, message: t.refused.message } }),
      }));
  }

  /** The state every worker thread is brought to. */
  threadState(): ThreadState {
    return {
      attachments: [...this.#items.values()].map((item) => ({
        uid: item.uid,
        name: item.name,
        target: item.target,
        exit: item.exit,
        armed: item.attached === null || isPending(item) ? item.wantArmed : item.attached.armed,
        files: item.files,
      })),
      hookArmings: this.#hookArmings,
    };
  }

  /** {@link attach} in every thread: all of them have it when this resolves, or none has. */
  async attachEverywhere(request: ValidAttachRequest, options: Parameters<Attachments['attach']>[1] = {}): Promise<AttachmentInfo> {
    await this.prepare(request);
    return this.#everywhere(
      () => this.attach(request, options),
      (info) => this.remove({ name: info.name }),
    );
  }

  /** {@link setArmed} in every thread: after a disarm resolves, no thread runs the exit again. */
  setArmedEverywhere(request: ArmRequest, armed: boolean): Promise<ArmResult> {
    const item = this.#items.get(request.name);
    const hook = item === undefined || (request.exit !== undefined && request.exit !== item.name) ? this.registry.get(request.name) : undefined;
    const before = hook?.exits.map((e) => [e, e.armed] as const);
    const wasArmed = item === undefined ? undefined : this.threadState().attachments.find((a) => a.uid === item.uid)?.armed;
    const armings = this.#hookArmings;
    return this.#everywhere(
      () => {
        const result = this.setArmed(request, armed);
        if (hook !== undefined)
          this.#hookArmings = withArming(armings, { hook: hook.name, ...(request.exit !== undefined && { exit: request.exit }), armed });
        return result;
      },
      () => {
        this.#hookArmings = armings;
        if (before !== undefined)
          for (const [e, on] of before)
            if (on) e.arm();
            else e.disarm();
        if (item !== undefined && wasArmed !== undefined) this.setArmed({ name: item.name }, wasArmed);
      },
    );
  }

  /**
   * {@link remove} in every thread. A removal is never rolled back (no thread can refuse one,
   * and the main thread's counts are gone): a thread that does not confirm in time removes it
   * when it next yields.
   */
  removeEverywhere(request: RemoveRequest): Promise<AttachmentInfo> {
    return this.#everywhere(() => this.remove(request), null);
  }

  /** {@link list}, after every live thread reported its counts of this moment. */
  async listEverywhere(): Promise<AttachmentInfo[]> {
    if (this.#fleet !== undefined && this.#fleet.live > 0) await this.#fleet.read();
    return this.list();
  }

  async #everywhere<T>(change: () => T, undo: ((done: T) => void) | null): Promise<T> {
    const fleet = this.#fleet;
    if (fleet === undefined) return change();
    return fleet.serialize(async () => {
      // A worker without a thread agent would never see the change: refuse it everywhere. A
      // removal goes ahead (it only takes away, and every reached thread must drop it).
      if (undo !== null) {
        const reached = await fleet.everyWorkerReached();
        if (!reached.ok) throw reached.error;
      }
      // The main thread first: what it refuses is refused before any worker hears of it.
      const done = change();
      const outcome = await fleet.publish(this.threadState());
      if (outcome.ok || undo === null) return done;
      undo(done);
      // Every thread back to the state before the change, without waiting again for the threads
      // that did not confirm it in time (that would make the refusal take twice the timeout).
      // Those still end rolled back: a thread applies a whole state, not a list of operations, and
      // reads it as it is when it handles the next change message (it has two queued, the change's
      // and this one's). When it next runs it finds the old state: it never applies the refused
      // change, or, if it applied it just after the deadline, it undoes it at the second message.
      await fleet.publish(this.threadState(), outcome.late);
      throw outcome.error;
    });
  }

  #freeName(base: string): string {
    if (!this.#items.has(base)) return base;
    for (let i = 2; ; i++) if (!this.#items.has(`${base}#${i}`)) return `${base}#${i}`;
  }
}

/** The hook armings with one more at the end; an arming of all a hook's exits makes the earlier ones for that hook moot. */
function withArming(list: readonly WantedHookArming[], next: Omit<WantedHookArming, 'seq'>): WantedHookArming[] {
  const seq = (list[list.length - 1]?.seq ?? 0) + 1;
  const kept = next.exit === undefined ? list.filter((a) => a.hook !== next.hook) : [...list];
  return [...kept.slice(-255), { seq, ...next }];
}

/** `<type>@<target>`, shortened from the left to fit an exit name. */
function defaultName(type: string, target: string): string {
  const full = `${type}@${target}`;
  return full.length <= NAME_MAX - 4 ? full : `${type}@…${target.slice(-(NAME_MAX - type.length - 6))}`;
}

function messageOf(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    return 'a value that cannot be shown';
  }
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // Cleanup must go on whatever one observer does.
  }
}
