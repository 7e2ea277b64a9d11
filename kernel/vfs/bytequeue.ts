/*
 * A bounded FIFO of bytes (a ring buffer): the buffer of pipes and the input
 * queues of ttys.
 */
export class ByteQueue {
  private buf: Uint8Array;
  private head = 0;
  private len = 0;

  constructor(readonly capacity: number) {
    this.buf = new Uint8Array(Math.min(capacity, 4096));
  }

  get length(): number {
    return this.len;
  }
  get space(): number {
    return this.capacity - this.len;
  }

  /** Append as much of data as fits; returns how much did. */
  push(data: Uint8Array): number {
    const n = Math.min(data.length, this.space);
    if (n === 0) return 0;
    this.grow(this.len + n);
    const cap = this.buf.length;
    const tail = (this.head + this.len) % cap;
    const first = Math.min(n, cap - tail);
    this.buf.set(data.subarray(0, first), tail);
    if (first < n) this.buf.set(data.subarray(first, n), 0);
    this.len += n;
    return n;
  }

  pushByte(c: number): boolean {
    if (this.space === 0) return false;
    this.grow(this.len + 1);
    this.buf[(this.head + this.len) % this.buf.length] = c;
    this.len++;
    return true;
  }

  /** Remove and return up to n bytes from the front. */
  shift(n: number): Uint8Array {
    const out = this.peek(n);
    this.head = (this.head + out.length) % this.buf.length;
    this.len -= out.length;
    if (this.len === 0) this.head = 0;
    return out;
  }

  /** Copy up to n bytes from the front without removing them. */
  peek(n: number): Uint8Array {
    n = Math.min(n, this.len);
    const out = new Uint8Array(n);
    const cap = this.buf.length;
    const first = Math.min(n, cap - this.head);
    out.set(this.buf.subarray(this.head, this.head + first), 0);
    if (first < n) out.set(this.buf.subarray(0, n - first), first);
    return out;
  }

  /** The byte at index i from the front. */
  at(i: number): number {
    return this.buf[(this.head + i) % this.buf.length];
  }

  /** Drop the last byte (tty erase). */
  pop(): number {
    if (this.len === 0) return -1;
    this.len--;
    return this.buf[(this.head + this.len) % this.buf.length];
  }

  clear(): void {
    this.head = 0;
    this.len = 0;
  }

  /** Grow the storage lazily: most pipes never hold more than a few bytes. */
  private grow(need: number): void {
    if (need <= this.buf.length) return;
    let cap = this.buf.length;
    while (cap < need) cap *= 2;
    const nb = new Uint8Array(Math.min(cap, this.capacity));
    nb.set(this.peek(this.len));
    this.buf = nb;
    this.head = 0;
  }
}
