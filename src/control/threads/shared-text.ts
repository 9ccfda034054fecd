/**
 * One JSON text that every thread of the process can read at any moment without waiting for
 * anyone's event loop: the state the main thread wants every thread to have. A single writer
 * (the main thread's agent) and any number of readers, in a SharedArrayBuffer under a sequence
 * lock: the writer makes the sequence odd, writes, makes it even again; a reader retries until it
 * read the same even sequence before and after. A worker reads it as it starts, before the
 * program's code runs there, so a worker born at any moment starts with the current state.
 */
const SEQ = 0;
const LENGTH = 1;
const EPOCH = 2;
const HEADER = 12;

export class SharedText {
  readonly buffer: SharedArrayBuffer;
  readonly #ints: Int32Array;
  readonly #bytes: Uint8Array;

  constructor(buffer: SharedArrayBuffer) {
    this.buffer = buffer;
    this.#ints = new Int32Array(buffer, 0, 3);
    this.#bytes = new Uint8Array(buffer, HEADER);
  }

  /** A new shared text of at most `capacity` bytes of UTF-8. */
  static create(capacity: number): SharedText {
    return new SharedText(new SharedArrayBuffer(HEADER + capacity));
  }

  /** Replaces the text and its epoch; false (nothing changed) when it does not fit. */
  write(epoch: number, text: string): boolean {
    const encoded = new TextEncoder().encode(text);
    if (encoded.length > this.#bytes.length) return false;
    Atomics.add(this.#ints, SEQ, 1);
    this.#bytes.set(encoded);
    Atomics.store(this.#ints, LENGTH, encoded.length);
    Atomics.store(this.#ints, EPOCH, epoch);
    Atomics.add(this.#ints, SEQ, 1);
    return true;
  }

  /** The current text and its epoch (epoch 0 and '' before the first write). */
  read(): { epoch: number; text: string } {
    for (;;) {
      const before = Atomics.load(this.#ints, SEQ);
      if ((before & 1) === 1) continue;
      const length = Atomics.load(this.#ints, LENGTH);
      const epoch = Atomics.load(this.#ints, EPOCH);
      // A copy: TextDecoder refuses views of shared memory.
      const copy = this.#bytes.slice(0, length);
      if (Atomics.load(this.#ints, SEQ) === before) return { epoch, text: new TextDecoder().decode(copy) };
    }
  }
}
