/*
 * The sysctl MIB (BSD's kern_sysctl.c): a tree of numbered, named nodes.
 * Leaves are typed values with read (and maybe write) accessors; a node may
 * instead have a handler that consumes the rest of the MIB itself
 * (kern.proc.pid.<pid>). The internal MIB {0, x} holds the operations that
 * make sysctlbyname(3) and `sysctl -a` possible: name, next, name2oid,
 * oidfmt, oiddescr — the same numbers BSD's libc and sysctl(8) use.
 *
 * Values travel as the bytes user space sees (little-endian, LP64): an int
 * is 4 bytes, a long 8, a string its bytes plus a NUL, a struct its layout.
 */
import { EINVAL, EISDIR, ENOENT, ENOTDIR, EPERM, SysError } from './errno.ts';

export const CTLTYPE = 0xf;
export const CTLTYPE_NODE = 1, CTLTYPE_INT = 2, CTLTYPE_STRING = 3, CTLTYPE_S64 = 4, CTLTYPE_OPAQUE = 5,
  CTLTYPE_STRUCT = 5, CTLTYPE_UINT = 6, CTLTYPE_LONG = 7, CTLTYPE_ULONG = 8, CTLTYPE_U64 = 9;
export const CTLFLAG_RD = 0x80000000, CTLFLAG_WR = 0x40000000, CTLFLAG_RW = 0xc0000000;
/** Writable by any user, not just root. */
export const CTLFLAG_ANYBODY = 0x10000000;
/** Settable from the boot environment (-e name=value) as a loader tunable. */
export const CTLFLAG_TUN = 0x00080000;

/* The internal MIB {0, x}. */
export const CTL_SYSCTL = 0;
export const SYSCTL_NAME = 1, SYSCTL_NEXT = 2, SYSCTL_NAME2OID = 3, SYSCTL_OIDFMT = 4, SYSCTL_OIDDESCR = 5;
/** BSD: dynamically numbered children start here. */
export const OID_AUTO_START = 0x100;
export const CTL_MAXNAME = 24;

/** A value as a leaf reads or writes it (numbers for int/long types, bigint allowed for 64-bit). */
export type SysctlValue = number | bigint | string | Uint8Array;

/** Who is asking (null = the kernel itself, e.g. ddb). */
export interface SysctlCaller {
  uid: number;
  pid: number;
}

export interface LeafSpec {
  kind: number;                         // CTLTYPE_* | CTLFLAG_*
  descr: string;
  fmt?: string;                         // BSD format: I IU L LU Q A S,<struct> N
  get: (c: SysctlCaller | null) => SysctlValue;
  set?: (v: SysctlValue, c: SysctlCaller | null) => void;
  /** Longest accepted string (bytes) for string leaves. */
  maxLen?: number;
}

/** A node that answers for everything below it (kern.proc.*): rest = the MIB after it. */
export type NodeHandler = (rest: number[], c: SysctlCaller | null) => Uint8Array;

export class SysctlOid {
  readonly children: SysctlOid[] = [];
  private nextAuto = OID_AUTO_START;
  constructor(
    readonly parent: SysctlOid | null,
    readonly number: number,
    readonly name: string,
    readonly kind: number,
    readonly descr: string,
    readonly fmt: string,
    readonly leaf: LeafSpec | null,
    readonly handler: NodeHandler | null,
  ) {}

  get type(): number {
    return this.kind & CTLTYPE;
  }

  /** The full dotted name. */
  fullName(): string {
    const parts: string[] = [];
    for (let o: SysctlOid | null = this; o && o.parent; o = o.parent) parts.unshift(o.name);
    return parts.join('.');
  }

  mib(): number[] {
    const out: number[] = [];
    for (let o: SysctlOid | null = this; o && o.parent; o = o.parent) out.unshift(o.number);
    return out;
  }

  child(name: string): SysctlOid | undefined {
    return this.children.find((c) => c.name === name);
  }

  childNo(n: number): SysctlOid | undefined {
    return this.children.find((c) => c.number === n);
  }

  /** Insert keeping children sorted by number (the order `next` walks). */
  add(o: SysctlOid): SysctlOid {
    if (this.child(o.name) || this.childNo(o.number)) throw new Error(`sysctl: ${o.fullName()} registered twice`);
    let i = 0;
    while (i < this.children.length && this.children[i].number < o.number) i++;
    this.children.splice(i, 0, o);
    if (o.number >= this.nextAuto) this.nextAuto = o.number + 1;
    return o;
  }

  autoNumber(): number {
    return this.nextAuto++;
  }

  /** A leaf, or a node whose handler takes the rest of the MIB: what `next` stops at. */
  isTerminal(): boolean {
    return this.leaf !== null || this.handler !== null;
  }
}

const OID_AUTO = -1;

/** The tree and the operations on it. One per kernel (k.sysctl). */
export class Sysctl {
  readonly root = new SysctlOid(null, 0, '', CTLTYPE_NODE, '', 'N', null, null);

  /** Find or make the node at a dotted path; numbers: the fixed BSD numbers per component (-1 = auto). */
  node(path: string, numbers: number[] = [], descr = ''): SysctlOid {
    let o = this.root;
    path.split('.').forEach((name, i) => {
      const c = o.child(name);
      if (c) {
        o = c;
        return;
      }
      const n = numbers[i] ?? OID_AUTO;
      o = o.add(new SysctlOid(o, n < 0 ? o.autoNumber() : n, name, CTLTYPE_NODE | CTLFLAG_RD, descr, 'N', null, null));
    });
    return o;
  }

  /** Register a leaf "a.b.c" (number: its fixed BSD number, or auto). */
  leaf(path: string, spec: LeafSpec, number = OID_AUTO, parentNumbers: number[] = []): SysctlOid {
    const dot = path.lastIndexOf('.');
    const parent = this.node(path.slice(0, dot), parentNumbers);
    const n = number < 0 ? parent.autoNumber() : number;
    const fmt = spec.fmt ?? defaultFmt(spec.kind & CTLTYPE);
    return parent.add(new SysctlOid(parent, n, path.slice(dot + 1), spec.kind, spec.descr, fmt, spec, null));
  }

  /** Register a node with a handler for the MIB below it. */
  handlerNode(path: string, kind: number, fmt: string, descr: string, h: NodeHandler, number = OID_AUTO): SysctlOid {
    const dot = path.lastIndexOf('.');
    const parent = this.node(path.slice(0, dot));
    const n = number < 0 ? parent.autoNumber() : number;
    return parent.add(new SysctlOid(parent, n, path.slice(dot + 1), kind, descr, fmt, null, h));
  }

  /* ---- lookups ---- */

  /** name2oid: a dotted name to its node (ENOENT). */
  byName(name: string): SysctlOid {
    let o = this.root;
    for (const part of name.split('.')) {
      const c = o.child(part);
      if (!c) throw new SysError(ENOENT);
      o = c;
    }
    if (o === this.root) throw new SysError(ENOENT);
    return o;
  }

  /** Walk a MIB: the deepest node reached and the components left over. */
  resolve(mib: number[]): { oid: SysctlOid; rest: number[] } {
    let o = this.root;
    let i = 0;
    for (; i < mib.length; i++) {
      if (o.isTerminal()) break;
      const c = o.childNo(mib[i]);
      if (!c) throw new SysError(ENOENT);
      o = c;
    }
    if (o === this.root) throw new SysError(ENOENT);
    return { oid: o, rest: mib.slice(i) };
  }

  /** The first terminal oid after mib in depth-first order (mib = [] → the very first). */
  next(mib: number[]): SysctlOid {
    const found = this.nextFrom(this.root, mib, 0);
    if (!found) throw new SysError(ENOENT);
    return found;
  }

  private nextFrom(o: SysctlOid, mib: number[], depth: number): SysctlOid | null {
    for (const c of o.children) {
      if (depth < mib.length) {
        if (c.number < mib[depth]) continue;
        if (c.number === mib[depth]) {
          /* The oid we are at (or a terminal above it) is not its own successor. */
          const r = c.isTerminal() ? null : this.nextFrom(c, mib, depth + 1);
          if (r) return r;
          continue;
        }
      }
      if (c.isTerminal()) return c;
      const r = this.nextFrom(c, [], 0);
      if (r) return r;
    }
    return null;
  }

  /* ---- reading and writing ---- */

  /** The current value of a terminal oid as bytes (rest: the MIB past a handler node). */
  read(oid: SysctlOid, rest: number[], c: SysctlCaller | null): Uint8Array {
    if (oid.handler) return oid.handler(rest, c);
    if (rest.length > 0) throw new SysError(ENOTDIR);
    if (!oid.leaf) throw new SysError(EISDIR);
    return encodeValue(oid.type, oid.leaf.get(c));
  }

  /** Store new bytes into a leaf: root only unless ANYBODY, EPERM for read-only ones. */
  write(oid: SysctlOid, rest: number[], bytes: Uint8Array, c: SysctlCaller | null): void {
    if (!oid.leaf) throw new SysError(oid.handler ? EPERM : EISDIR);
    if (rest.length > 0) throw new SysError(ENOTDIR);
    if (!(oid.kind & CTLFLAG_WR) || !oid.leaf.set) throw new SysError(EPERM);
    if (c && c.uid !== 0 && !(oid.kind & CTLFLAG_ANYBODY)) throw new SysError(EPERM);
    oid.leaf.set(decodeValue(oid.type, bytes, oid.leaf.maxLen ?? 255), c);
  }

  /** Kernel-side convenience: read by name as a JS value (ddb's show sysctl, tests). */
  getByName(name: string): SysctlValue {
    const o = this.byName(name);
    if (!o.leaf) throw new SysError(EISDIR);
    return o.leaf.get(null);
  }

  /** Every terminal oid in `next` order (for `sysctl -a` in ddb and tests). */
  all(): SysctlOid[] {
    const out: SysctlOid[] = [];
    const walk = (o: SysctlOid): void => {
      for (const c of o.children) {
        if (c.isTerminal()) out.push(c);
        else walk(c);
      }
    };
    walk(this.root);
    return out;
  }
}

function defaultFmt(type: number): string {
  switch (type) {
    case CTLTYPE_INT: return 'I';
    case CTLTYPE_UINT: return 'IU';
    case CTLTYPE_LONG: return 'L';
    case CTLTYPE_ULONG: return 'LU';
    case CTLTYPE_S64: return 'Q';
    case CTLTYPE_U64: return 'QU';
    case CTLTYPE_STRING: return 'A';
    case CTLTYPE_NODE: return 'N';
    default: return 'S';
  }
}

/** A value in its user-space representation. */
export function encodeValue(type: number, v: SysctlValue): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') {
    const b = new Uint8Array(v.length + 1);
    for (let i = 0; i < v.length; i++) b[i] = v.charCodeAt(i) & 0xff;
    return b;
  }
  const size = type === CTLTYPE_INT || type === CTLTYPE_UINT ? 4 : 8;
  const b = new Uint8Array(size);
  const dv = new DataView(b.buffer);
  const big = typeof v === 'bigint' ? v : BigInt(Math.trunc(v));
  if (size === 4) dv.setInt32(0, Number(BigInt.asIntN(32, big)), true);
  else dv.setBigInt64(0, BigInt.asIntN(64, big), true);
  return b;
}

/** New bytes from user space to a value: ints must be exactly their size (EINVAL). */
export function decodeValue(type: number, b: Uint8Array, maxLen: number): SysctlValue {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (type) {
    case CTLTYPE_INT: case CTLTYPE_UINT:
      if (b.length !== 4) throw new SysError(EINVAL);
      return type === CTLTYPE_INT ? dv.getInt32(0, true) : dv.getUint32(0, true);
    case CTLTYPE_LONG: case CTLTYPE_ULONG: case CTLTYPE_S64: case CTLTYPE_U64:
      if (b.length !== 8) throw new SysError(EINVAL);
      return Number(type === CTLTYPE_LONG || type === CTLTYPE_S64 ? dv.getBigInt64(0, true) : dv.getBigUint64(0, true));
    case CTLTYPE_STRING: {
      let n = b.indexOf(0);
      if (n < 0) n = b.length;
      if (n > maxLen) throw new SysError(EINVAL);
      return String.fromCharCode(...b.subarray(0, n));
    }
    default:
      return b.slice();
  }
}
