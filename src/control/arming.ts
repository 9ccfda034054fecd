import { armAll, disarmAll, HookError, type AnyHook, type Registry } from '../core/index.ts';
import { isPending, type Attachment } from './attachment.ts';
import type { ArmRequest, ArmResult } from './protocol.ts';

/**
 * Arms (or disarms) by name: an attachment; else a declared hook's exits, all of them at once
 * (all or nothing) or the one named by `exit`. A hook's own exits can be armed and disarmed this
 * way, never added or removed.
 */
export function setArmed(attachments: ReadonlyMap<string, Attachment>, registry: Registry, request: ArmRequest, armed: boolean): ArmResult {
  const item = attachments.get(request.name);
  // An attachment has one exit, named like the attachment: `exit` may only name that one.
  if (item !== undefined && (request.exit === undefined || request.exit === item.name)) return setAttachmentArmed(item, armed);
  const hook = registry.get(request.name);
  if (hook === undefined && item !== undefined) {
    throw new HookError('ERR_NOT_FOUND', `attachment "${item.name}" has no exit named "${String(request.exit)}" (its one exit is "${item.name}")`);
  }
  if (hook === undefined) throw new HookError('ERR_NOT_FOUND', `no attachment and no hook named "${request.name}"`);
  return setHookExitsArmed(hook, request.exit, armed);
}

/** An attachment's exit or probe; a pending one keeps the wanted state for when it attaches. */
function setAttachmentArmed(item: Attachment, armed: boolean): ArmResult {
  if (item.attached !== null) {
    if (armed) item.attached.arm();
    else item.attached.disarm();
  }
  // Kept for a probe too: while it is pending (no function yet) this is the state it will have.
  item.wantArmed = armed;
  return { name: item.name, exits: [{ name: item.name, armed: isPending(item) ? armed : (item.attached?.armed ?? armed) }] };
}

/**
 * The control layer's one "check all, then apply" change: picks the hook's exits (all, or the one
 * named `exitName`), then arms or disarms them together through the core's group operations,
 * which check every exit before changing any. This is the function to move onto the core's
 * transaction when there is one.
 */
export function setHookExitsArmed(hook: AnyHook, exitName: string | undefined, armed: boolean): ArmResult {
  const exits = exitName === undefined ? [...hook.exits] : hook.exits.filter((e) => e.name === exitName);
  if (exitName !== undefined && exits.length === 0) {
    throw new HookError('ERR_NOT_FOUND', `hook "${hook.name}" has no exit named "${exitName}"`);
  }
  if (armed) armAll(exits);
  else disarmAll(exits);
  return { name: hook.name, exits: exits.map((e) => ({ name: e.name, armed: e.armed })) };
}
