/*
 * Socket addresses as decoded TS objects, and the user-space byte layouts
 * (struct sockaddr_in / sockaddr_in6 / sockaddr_un, Linux ABI) they come
 * from and go to. Protocols only ever see SockAddr objects; the syscall
 * layer decodes what user space passed and encodes what it returns.
 *
 *   sockaddr_in   16 bytes: family u16 LE, port u16 BE, addr 4 bytes BE, zero 8
 *   sockaddr_in6  28 bytes: family, port BE, flowinfo u32 BE, addr 16, scope_id u32 LE
 *   sockaddr_un  110 bytes: family, sun_path[108]; a leading NUL makes an
 *                abstract name whose length is the address length (Linux)
 */
import { EINVAL, SysError } from './errno.ts';
import { bstrToBytes, bytesToBstr } from '../vfs/bstr.ts';

/* Address families (Linux values; PF_* are the same numbers). */
export const AF_UNSPEC = 0, AF_UNIX = 1, AF_LOCAL = 1, AF_INET = 2, AF_INET6 = 10,
  AF_NETLINK = 16, AF_PACKET = 17;

export const SOCKADDR_IN_SIZE = 16;
export const SOCKADDR_IN6_SIZE = 28;
export const SOCKADDR_UN_SIZE = 110;
/** sizeof(sun_path). */
export const UNIX_PATH_MAX = 108;
/** Largest address we accept from user space (sizeof(struct sockaddr_storage)). */
export const SOCKADDR_MAX = 128;

/** IPv4: addr is the 32-bit address as an unsigned number, 127.0.0.1 = 0x7f000001. */
export interface SockAddrIn {
  family: typeof AF_INET;
  port: number;
  addr: number;
}

export interface SockAddrIn6 {
  family: typeof AF_INET6;
  port: number;
  flowinfo: number;
  addr: Uint8Array;
  scopeId: number;
}

/**
 * AF_UNIX: a path (byte string, no NUL), an abstract name (the bytes after the
 * leading NUL, may hold NULs), or unnamed (path '' and abstract false).
 */
export interface SockAddrUn {
  family: typeof AF_UNIX;
  path: string;
  abstract: boolean;
}

/** Any other family: the raw bytes after sa_family. */
export interface SockAddrOther {
  family: number;
  data: Uint8Array;
}

export type SockAddr = SockAddrIn | SockAddrIn6 | SockAddrUn | SockAddrOther;

export function isInet(sa: SockAddr | null): sa is SockAddrIn {
  return sa !== null && sa.family === AF_INET && 'addr' in sa && typeof sa.addr === 'number';
}
export function isInet6(sa: SockAddr | null): sa is SockAddrIn6 {
  return sa !== null && sa.family === AF_INET6 && 'addr' in sa && sa.addr instanceof Uint8Array;
}
export function isUnix(sa: SockAddr | null): sa is SockAddrUn {
  return sa !== null && sa.family === AF_UNIX && 'path' in sa;
}

export function sockaddrIn(addr: number, port: number): SockAddrIn {
  return { family: AF_INET, addr: addr >>> 0, port: port & 0xffff };
}

export function sockaddrUn(path: string, abstract = false): SockAddrUn {
  return { family: AF_UNIX, path, abstract };
}

/** The unnamed AF_UNIX address (getsockname of an unbound socket). */
export const UNNAMED: SockAddrUn = Object.freeze({ family: AF_UNIX, path: '', abstract: false }) as SockAddrUn;

/**
 * User bytes → SockAddr. EINVAL for lengths the family cannot hold. Families
 * other than these three come back as SockAddrOther (AF_UNSPEC included:
 * connect(AF_UNSPEC) dissolves a datagram association); protocols reject
 * a family they do not serve with EAFNOSUPPORT.
 */
export function decodeSockaddr(b: Uint8Array): SockAddr {
  if (b.length < 2) throw new SysError(EINVAL);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const family = dv.getUint16(0, true);
  switch (family) {
    case AF_INET:
      if (b.length < SOCKADDR_IN_SIZE) throw new SysError(EINVAL);
      return { family: AF_INET, port: dv.getUint16(2, false), addr: dv.getUint32(4, false) };
    case AF_INET6:
      if (b.length < 24) throw new SysError(EINVAL);
      return {
        family: AF_INET6, port: dv.getUint16(2, false), flowinfo: dv.getUint32(4, false),
        addr: b.slice(8, 24), scopeId: b.length >= SOCKADDR_IN6_SIZE ? dv.getUint32(24, true) : 0,
      };
    case AF_UNIX:
      return decodeUn(b);
    default:
      return { family, data: b.slice(2) };
  }
}

function decodeUn(b: Uint8Array): SockAddrUn {
  if (b.length > SOCKADDR_UN_SIZE) throw new SysError(EINVAL);
  const name = b.subarray(2);
  if (name.length === 0) return { family: AF_UNIX, path: '', abstract: false };
  if (name[0] === 0) return { family: AF_UNIX, path: bytesToBstr(name.subarray(1)), abstract: true };
  const nul = name.indexOf(0);
  return { family: AF_UNIX, path: bytesToBstr(nul < 0 ? name : name.subarray(0, nul)), abstract: false };
}

/** SockAddr → the bytes user space gets (its true length; callers truncate to the buffer). */
export function encodeSockaddr(sa: SockAddr): Uint8Array {
  if (isInet(sa)) {
    const b = new Uint8Array(SOCKADDR_IN_SIZE);
    const dv = new DataView(b.buffer);
    dv.setUint16(0, AF_INET, true);
    dv.setUint16(2, sa.port, false);
    dv.setUint32(4, sa.addr >>> 0, false);
    return b;
  }
  if (isInet6(sa)) {
    const b = new Uint8Array(SOCKADDR_IN6_SIZE);
    const dv = new DataView(b.buffer);
    dv.setUint16(0, AF_INET6, true);
    dv.setUint16(2, sa.port, false);
    dv.setUint32(4, sa.flowinfo >>> 0, false);
    b.set(sa.addr.subarray(0, 16), 8);
    dv.setUint32(24, sa.scopeId >>> 0, true);
    return b;
  }
  if (isUnix(sa)) return encodeUn(sa);
  const o = sa as SockAddrOther;
  const b = new Uint8Array(2 + o.data.length);
  new DataView(b.buffer).setUint16(0, o.family, true);
  b.set(o.data, 2);
  return b;
}

/* Linux's lengths: unnamed = 2; path = 2 + strlen + 1; abstract = 2 + 1 + namelen. */
function encodeUn(sa: SockAddrUn): Uint8Array {
  const name = bstrToBytes(sa.path);
  const len = sa.abstract ? 3 + name.length : sa.path === '' ? 2 : 3 + name.length;
  const b = new Uint8Array(Math.min(len, SOCKADDR_UN_SIZE));
  new DataView(b.buffer).setUint16(0, AF_UNIX, true);
  b.set(name.subarray(0, b.length - 3), sa.abstract ? 3 : 2);
  return b;
}

/** Two addresses name the same endpoint. */
export function sockaddrEqual(a: SockAddr, b: SockAddr): boolean {
  const x = encodeSockaddr(a), y = encodeSockaddr(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** Dotted quad for messages and netstat. */
export function inetNtoa(addr: number): string {
  return [24, 16, 8, 0].map((s) => (addr >>> s) & 255).join('.');
}
