import type { Observer, ObserverReport, TraceRecord } from '../exits/index.ts';
import type { ExitOrProbe } from './catalogue.ts';
import type { AttachmentInfo, ExitSpec } from './protocol.ts';

/** One attachment: what was asked, the observer made for it, and its exit or probe once attached. */
export interface Attachment {
  readonly name: string;
  /** The hook name or probe spec, as given. */
  readonly target: string;
  readonly kind: 'hook' | 'probe';
  readonly exit: ExitSpec;
  readonly observer: Observer;
  /** null while the hook is not declared yet (attachments made from the environment only). */
  attached: ExitOrProbe | null;
  /** The armed state wanted while pending. */
  wantArmed: boolean;
  /** Tells this attachment from an earlier one of the same name (worker threads report by it). */
  readonly uid: string;
  /** The exit spec may name files (the environment's attachments). */
  readonly files: boolean;
  /** Where its trace records go, those that worker threads send included. */
  readonly route: (record: TraceRecord) => void;
}

/** Whether an attachment waits: for its hook to be declared, or for its probe's module to load. */
export function isPending(item: Attachment): boolean {
  const a = item.attached;
  return a === null || ('status' in a && a.status === 'pending');
}

/** How an attachment is listed: its request, its state, and its observer's report (null if that throws). */
export function describeAttachment(item: Attachment): AttachmentInfo {
  const a = item.attached;
  let report: ObserverReport | null = null;
  try {
    report = item.observer.report();
  } catch {
    report = null;
  }
  const reason = a !== null && 'pendingReason' in a ? a.pendingReason : undefined;
  return {
    name: item.name,
    target: item.target,
    kind: item.kind,
    type: item.observer.type,
    exit: item.exit,
    status: a === null ? 'pending' : 'status' in a ? a.status : 'attached',
    ...(reason !== undefined && { reason }),
    // A pending attachment has nothing to arm yet: it shows the state it will attach with.
    armed: a === null || isPending(item) ? item.wantArmed : a.armed,
    stats: { hits: a?.stats.hits ?? 0, faults: a?.stats.faults ?? 0, missed: a !== null && 'missed' in a.stats ? a.stats.missed : 0 },
    report,
  };
}
