import { HookError, type Registry } from '../core/index.ts';
import type { Observer, TraceRecord } from '../exits/index.ts';
import { describeAttachment, type Attachment } from './attachment.ts';
import { setArmed } from './arming.ts';
import type { Catalogue, ExitOrProbe } from './catalogue.ts';
import { NAME_MAX, type ArmRequest, type ArmResult, type AttachmentInfo, type RemoveRequest, type ValidAttachRequest } from './protocol.ts';
import { resolveTarget } from './resolve-target.ts';

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
    };
    this.#items.set(name, item);
    return describeAttachment(item);
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
    return setArmed(this.#items, this.registry, request, armed);
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
    safely(() => item.observer.close());
    return last;
  }

  /** The observer of the attachment `name` (exporters read more than its report: /metrics). */
  observerOf(name: string): Observer | undefined {
    return this.#items.get(name)?.observer;
  }

  /** Every attachment, with its observer's report. */
  list(): AttachmentInfo[] {
    return [...this.#items.values()].map(describeAttachment);
  }

  #freeName(base: string): string {
    if (!this.#items.has(base)) return base;
    for (let i = 2; ; i++) if (!this.#items.has(`${base}#${i}`)) return `${base}#${i}`;
  }
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
