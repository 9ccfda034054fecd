/**
 * Messages from any thread to the main thread's agent, through shared memory: a writer appends
 * under a lock and bumps a counter that the reader can wait on, synchronously (`Atomics.wait`, at
 * exit and while a worker is being terminated, when no event loop turn is coming) or not
 * (`Atomics.waitAsync`, during a change). The main thread's event loop may be busy or ending; the
 * workers still get their answers in.
 */
const LOCK = 0;
const SEQ = 1;
const USED = 2;
const HEADER = 12;

type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
  ms: number,
) => { async: false; value: string } | { async: true; value: Promise<string> };

export class Mailbox {
  readonly buffer: SharedArrayBuffer;
  readonly #ints: Int32Array;
  readonly #bytes: Uint8Array;
  readonly #view: DataView;

  constructor(buffer: SharedArrayBuffer) {
    this.buffer = buffer;
    this.#ints = new Int32Array(buffer, 0, 3);
    this.#bytes = new Uint8Array(buffer, HEADER);
    this.#view = new DataView(buffer, HEADER);
  }

  /** A new mailbox holding at most `capacity` bytes of messages between two reads. */
  static create(capacity: number): Mailbox {
    return new Mailbox(new SharedArrayBuffer(HEADER + capacity));
  }

  /** The counter of messages posted so far (to wait on). */
  get seq(): number {
    return Atomics.load(this.#ints, SEQ);
  }

  /** Appends one JSON message; false when the mailbox is full (the message is dropped). */
  post(message: unknown): boolean {
    const encoded = new TextEncoder().encode(JSON.stringify(message));
    this.#lock();
    try {
      const used = Atomics.load(this.#ints, USED);
      if (used + 4 + encoded.length > this.#bytes.length) return false;
      this.#view.setUint32(used, encoded.length);
      this.#bytes.set(encoded, used + 4);
      Atomics.store(this.#ints, USED, used + 4 + encoded.length);
    } finally {
      this.#unlock();
    }
    Atomics.add(this.#ints, SEQ, 1);
    Atomics.notify(this.#ints, SEQ);
    return true;
  }

  /** Takes every message posted since the last take, oldest first. */
  take(): unknown[] {
    const out: unknown[] = [];
    this.#lock();
    let copy: Uint8Array;
    try {
      copy = this.#bytes.slice(0, Atomics.load(this.#ints, USED));
      Atomics.store(this.#ints, USED, 0);
    } finally {
      this.#unlock();
    }
    const view = new DataView(copy.buffer);
    const decoder = new TextDecoder();
    for (let at = 0; at < copy.length;) {
      const length = view.getUint32(at);
      out.push(JSON.parse(decoder.decode(copy.subarray(at + 4, at + 4 + length))));
      at += 4 + length;
    }
    return out;
  }

  /** Blocks this thread until a message is posted after `seq` was read, or `ms` pass. */
  waitSync(seq: number, ms: number): void {
    if (ms > 0) Atomics.wait(this.#ints, SEQ, seq, ms);
  }

  /** Resolves when a message is posted after `seq` was read, or after `ms`. */
  async wait(seq: number, ms: number): Promise<void> {
    if (ms <= 0) return;
    // ES2024; in V8 since Node 16 (the TypeScript lib here is ES2023).
    const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;
    const result = waitAsync(this.#ints, SEQ, seq, ms);
    if (result.async) await result.value;
  }

  #lock(): void {
    // Held for a copy of a few kilobytes at most: wait briefly rather than spin.
    while (Atomics.compareExchange(this.#ints, LOCK, 0, 1) !== 0) Atomics.wait(this.#ints, LOCK, 1, 1);
  }

  #unlock(): void {
    Atomics.store(this.#ints, LOCK, 0);
    Atomics.notify(this.#ints, LOCK, 1);
  }
}
