/*
 * CStruct: a little-endian byte buffer with typed field accessors, for the C
 * structs syscalls exchange with user space (stat, timespec, sigaction...).
 * Build one, fill it, copyoutStruct() it; or copyinStruct() and read fields.
 * 64-bit fields come as JS numbers (exact to 2^53) or as bigint.
 */
const TWO32 = 0x1_0000_0000;

export class CStruct {
  readonly u8: Uint8Array;
  readonly dv: DataView;

  constructor(sizeOrBytes: number | Uint8Array) {
    this.u8 = typeof sizeOrBytes === 'number' ? new Uint8Array(sizeOrBytes) : sizeOrBytes;
    this.dv = new DataView(this.u8.buffer, this.u8.byteOffset, this.u8.byteLength);
  }

  get size(): number {
    return this.u8.length;
  }

  u8at(off: number): number { return this.u8[off]; }
  i16(off: number): number { return this.dv.getInt16(off, true); }
  u16(off: number): number { return this.dv.getUint16(off, true); }
  i32(off: number): number { return this.dv.getInt32(off, true); }
  u32(off: number): number { return this.dv.getUint32(off, true); }
  /** Signed 64-bit as a number. */
  i64(off: number): number {
    return this.dv.getInt32(off + 4, true) * TWO32 + this.dv.getUint32(off, true);
  }
  /** Unsigned 64-bit as a number (large values lose precision but stay large). */
  u64(off: number): number {
    return this.dv.getUint32(off + 4, true) * TWO32 + this.dv.getUint32(off, true);
  }
  big(off: number): bigint { return this.dv.getBigInt64(off, true); }
  ubig(off: number): bigint { return this.dv.getBigUint64(off, true); }

  setU8(off: number, v: number): this { this.u8[off] = v; return this; }
  setI16(off: number, v: number): this { this.dv.setInt16(off, v, true); return this; }
  setU16(off: number, v: number): this { this.dv.setUint16(off, v, true); return this; }
  setI32(off: number, v: number): this { this.dv.setInt32(off, v, true); return this; }
  setU32(off: number, v: number): this { this.dv.setUint32(off, v >>> 0, true); return this; }
  /** Any integer number in ±2^53 (negative values are two's complement). */
  setI64(off: number, v: number): this {
    const hi = Math.floor(v / TWO32);
    this.dv.setUint32(off, v - hi * TWO32, true);
    this.dv.setInt32(off + 4, hi | 0, true);
    return this;
  }
  setU64(off: number, v: number): this { return this.setI64(off, v); }
  setBig(off: number, v: bigint): this { this.dv.setBigUint64(off, BigInt.asUintN(64, v), true); return this; }
  /** A NUL-terminated, NUL-padded field of len bytes from a byte string (truncated to len-1). */
  setStr(off: number, s: string, len: number): this {
    this.u8.fill(0, off, off + len);
    const n = Math.min(s.length, len - 1);
    for (let i = 0; i < n; i++) this.u8[off + i] = s.charCodeAt(i) & 255;
    return this;
  }
}
