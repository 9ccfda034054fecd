import type * as Crypto from 'node:crypto';
import type { Socket } from 'node:net';
import { HookError } from '../core/errors.ts';

// node:crypto and node:net through process.getBuiltinModule when a session opens: the CLI's
// commands load this module, and most never open one.
const nodeCrypto = (): typeof Crypto => process.getBuiltinModule('node:crypto');

/**
 * One session with a Node inspector over its WebSocket (`ws://127.0.0.1:PORT/ID`), just enough
 * of RFC 6455 for the inspector protocol: a client handshake, masked text frames out, text,
 * close and ping frames in. Node 20 has no global WebSocket, and hookwire takes no dependency
 * for the few frames it needs: `inspector-attach.ts` sends one command and hangs up.
 */
export class InspectorSocket {
  readonly #socket: Socket;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  #buffer: Buffer = Buffer.alloc(0);
  #fragments: Buffer[] = [];
  #nextId = 1;
  #closed: Error | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => this.#read(chunk));
    socket.on('close', () => this.#fail(new Error('the inspector closed the connection')));
    socket.on('error', (error) => this.#fail(error));
  }

  /** Connects to `url` (ws://127.0.0.1 only) and completes the handshake within `timeoutMs`. */
  static open(url: string, timeoutMs: number): Promise<InspectorSocket> {
    const where = new URL(url);
    if (where.protocol !== 'ws:' || where.hostname !== '127.0.0.1') {
      return Promise.reject(new HookError('ERR_ATTACH_FAILED', `the inspector offered ${url}, not a ws://127.0.0.1 address: not used`));
    }
    return new Promise((resolve, reject) => {
      const socket = process.getBuiltinModule('node:net').connect(Number(where.port), '127.0.0.1');
      const key = nodeCrypto().randomBytes(16).toString('base64');
      const expected = nodeCrypto().createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      let head = Buffer.alloc(0);
      const timer = setTimeout(() => done(new Error(`no WebSocket handshake within ${timeoutMs} ms`)), timeoutMs);
      const done = (error: Error | undefined, rest?: Buffer): void => {
        clearTimeout(timer);
        socket.off('data', onData);
        socket.off('error', done);
        if (error !== undefined) {
          socket.destroy();
          reject(new HookError('ERR_ATTACH_FAILED', `cannot open the inspector session: ${error.message}`, { cause: error }));
          return;
        }
        const session = new InspectorSocket(socket);
        if (rest !== undefined && rest.length > 0) session.#read(rest);
        resolve(session);
      };
      const onData = (chunk: Buffer): void => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end === -1) return;
        const lines = head.subarray(0, end).toString('latin1').split('\r\n');
        const accept = lines
          .find((l) => l.toLowerCase().startsWith('sec-websocket-accept:'))
          ?.slice(21)
          .trim();
        if (!/^HTTP\/1\.1 101 /u.test(lines[0] ?? '') || accept !== expected) done(new Error(`the inspector answered "${lines[0] ?? ''}"`));
        else done(undefined, head.subarray(end + 4));
      };
      socket.on('data', onData);
      socket.on('error', done);
      socket.write(
        `GET ${where.pathname} HTTP/1.1\r\nHost: ${where.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
  }

  /** Sends one protocol command; resolves to its `result`, rejects with its `error` or a closed connection. */
  send(method: string, params: Record<string, unknown>, timeoutMs: number): Promise<unknown> {
    if (this.#closed !== undefined) return Promise.reject(this.#closed);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`no answer to ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.#write(0x1, Buffer.from(JSON.stringify({ id, method, params }), 'utf8'));
    });
  }

  /** Hangs up at once (no closing handshake: the inspector only waits for the socket to end). */
  close(): void {
    this.#fail(new Error('the session was closed'));
    this.#socket.destroy();
  }

  #write(opcode: number, payload: Buffer): void {
    const mask = nodeCrypto().randomBytes(4);
    const length = payload.length;
    const head = length < 126 ? Buffer.from([0x80 | opcode, 0x80 | length]) : Buffer.alloc(length < 65536 ? 4 : 10);
    if (length >= 126 && length < 65536) {
      head[0] = 0x80 | opcode;
      head[1] = 0x80 | 126;
      head.writeUInt16BE(length, 2);
    } else if (length >= 65536) {
      head[0] = 0x80 | opcode;
      head[1] = 0x80 | 127;
      head.writeBigUInt64BE(BigInt(length), 2);
    }
    const body = Buffer.allocUnsafe(length);
    for (let i = 0; i < length; i++) body[i] = (payload[i] as number) ^ (mask[i & 3] as number);
    this.#socket.write(Buffer.concat([head, mask, body]));
  }

  #read(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const b = this.#buffer;
      if (b.length < 2) return;
      let length = (b[1] as number) & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (b.length < 4) return;
        length = b.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (b.length < 10) return;
        length = Number(b.readBigUInt64BE(2));
        offset = 10;
      }
      // A server never masks its frames (RFC 6455 5.1); a mask key would follow the length.
      if (((b[1] as number) & 0x80) !== 0) offset += 4;
      if (b.length < offset + length) return;
      const fin = ((b[0] as number) & 0x80) !== 0;
      const opcode = (b[0] as number) & 0x0f;
      const payload = b.subarray(offset, offset + length);
      this.#buffer = b.subarray(offset + length);
      if (opcode === 0x8) {
        this.close();
        return;
      }
      if (opcode === 0x9) this.#write(0xa, Buffer.from(payload));
      if (opcode !== 0x1 && opcode !== 0x0) continue;
      this.#fragments.push(Buffer.from(payload));
      if (!fin) continue;
      const text = Buffer.concat(this.#fragments).toString('utf8');
      this.#fragments = [];
      this.#message(text);
    }
  }

  #message(text: string): void {
    let message: { id?: unknown; result?: unknown; error?: { message?: unknown } };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (typeof message.id !== 'number') return;
    const waiter = this.#pending.get(message.id);
    if (waiter === undefined) return;
    this.#pending.delete(message.id);
    if (message.error !== undefined)
      waiter.reject(new Error(typeof message.error.message === 'string' ? message.error.message : 'the inspector refused the command'));
    else waiter.resolve(message.result);
  }

  #fail(error: Error): void {
    this.#closed ??= error;
    for (const waiter of this.#pending.values()) waiter.reject(error);
    this.#pending.clear();
  }
}
