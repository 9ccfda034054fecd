import type { EventEmitter } from 'node:events';
import type { IncomingMessage as Incoming } from 'node:http';
import { asHookwire } from '../probe/own-code.ts';
import { markOwnMessage } from './own-messages.ts';

// Built-ins through process.getBuiltinModule, not `import`: an ES import of node:http builds its
// module facade, reading every export (undici on Node 24), at the agent's start (server.ts).
const { EventEmitter: Emitter } = process.getBuiltinModule('node:events');
const { IncomingMessage, ServerResponse } = process.getBuiltinModule('node:http');

/** `EventEmitter.prototype.emit` as it was when hookwire loaded, before any probe could replace it. */
const originalEmit = Emitter.prototype.emit;

/**
 * Makes an emitter of hookwire's own (the control server) emit as hookwire: its events go through
 * the original `emit`, its listeners run through `asHookwire()`, and every emitter an event hands
 * out (the connection's socket, a request and its response) is made the same, so probes on
 * `EventEmitter.prototype.emit`, or on what the server's listeners call, never see the server at
 * work. Work that a listener schedules for later (after an `await`) runs unmarked.
 */
export function ownEmitter<E extends EventEmitter>(emitter: E): E {
  Object.defineProperty(emitter, 'emit', { value: ownEmit, writable: true, configurable: true, enumerable: false });
  return emitter;
}

function ownEmit(this: EventEmitter, event: string | symbol, ...args: unknown[]): boolean {
  for (const arg of args) if (arg instanceof Emitter && !Object.prototype.hasOwnProperty.call(arg, 'emit')) ownEmitter(arg);
  return asHookwire<boolean>(() => originalEmit.apply(this, [event, ...args]));
}

/**
 * The control server's requests, own from construction: Node emits on a request and its response
 * (`socket`, …) before the server's `request` event hands them out.
 */
export class OwnIncomingMessage extends IncomingMessage {
  constructor(...args: ConstructorParameters<typeof IncomingMessage>) {
    super(...args);
    ownEmitter(this);
    markOwnMessage(this);
  }
}

/** The control server's responses, own from construction (see {@link OwnIncomingMessage}). */
export class OwnServerResponse<Request extends Incoming = Incoming> extends ServerResponse<Request> {
  constructor(...args: ConstructorParameters<typeof ServerResponse<Request>>) {
    super(...args);
    ownEmitter(this);
    markOwnMessage(this);
  }
}

/**
 * Gives `target` (an own class's prototype) every method of `from`'s prototype chain, each calling
 * the method as it is now (before any probe) as hookwire's own code: the server's calls on its
 * requests and responses (`res.end`, `req.on`, …) stay unobserved also after an `await`.
 */
function ownMethods(target: object, from: object): void {
  for (let proto: object | null = from; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const key of Reflect.ownKeys(proto)) {
      if (key === 'constructor' || Object.prototype.hasOwnProperty.call(target, key)) continue;
      const d = Object.getOwnPropertyDescriptor(proto, key);
      if (d === undefined || typeof d.value !== 'function') continue;
      const original = d.value as (...args: unknown[]) => unknown;
      const own = function (this: unknown, ...args: unknown[]): unknown {
        return asHookwire(() => original.apply(this, args));
      };
      Object.defineProperty(target, key, { value: own, writable: true, configurable: true, enumerable: false });
    }
  }
}

ownMethods(OwnIncomingMessage.prototype, IncomingMessage.prototype);
ownMethods(OwnServerResponse.prototype, ServerResponse.prototype);
