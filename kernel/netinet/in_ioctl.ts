/*
 * Interface, route and ARP ioctls on AF_INET sockets, in the Linux ABI
 * (riscv64: struct ifreq is 40 bytes — a 16-byte name and a 24-byte union;
 * struct rtentry is 120 bytes; struct arpreq is 68 bytes), so ifconfig,
 * route and arp work the same under our kernel and a real Linux.
 */
import { SysError, EFAULT, EINVAL, ENODEV, ENOTTY, ENXIO, EPERM, EAFNOSUPPORT } from '../kern/errno.ts';
import type { IoCtx } from '../vfs/ioctx.ts';
import { if_setflags, ifindex, ifunit, type Ifnet } from '../net/if.ts';
import { rt_add, rt_checkmask, rt_delete, rt_gateway_ifp, RTF_GATEWAY, RTF_HOST, RTF_REJECT } from '../net/route.ts';
import type { Vnet } from '../net/vnet.ts';
import { arp_delete, arp_lookup, arp_set, ATF_COM, ATF_PERM, ATF_PUBL } from './if_ether.ts';
import { AF_INET, get32, put32 } from './in.ts';
import { in_setaddr, in_setbroadcast, in_setmask } from './in_control.ts';

export const SIOCADDRT = 0x890b;
export const SIOCDELRT = 0x890c;
export const SIOCGIFNAME = 0x8910;
export const SIOCGIFCONF = 0x8912;
export const SIOCGIFFLAGS = 0x8913;
export const SIOCSIFFLAGS = 0x8914;
export const SIOCGIFADDR = 0x8915;
export const SIOCSIFADDR = 0x8916;
export const SIOCGIFBRDADDR = 0x8919;
export const SIOCSIFBRDADDR = 0x891a;
export const SIOCGIFNETMASK = 0x891b;
export const SIOCSIFNETMASK = 0x891c;
export const SIOCGIFMETRIC = 0x891d;
export const SIOCGIFMTU = 0x8921;
export const SIOCSIFMTU = 0x8922;
export const SIOCGIFHWADDR = 0x8927;
export const SIOCGIFINDEX = 0x8933;
export const SIOCDARP = 0x8953;
export const SIOCGARP = 0x8954;
export const SIOCSARP = 0x8955;

export const IFREQ_SIZE = 40;
export const IFNAMSIZ = 16;
export const RTENTRY_SIZE = 120;
export const ARPREQ_SIZE = 68;
const ARPHRD_ETHER = 1;
const ARPHRD_LOOPBACK = 772;

function nameOf(b: Uint8Array, off = 0): string {
  let s = '';
  for (let i = off; i < off + IFNAMSIZ && b[i]; i++) s += String.fromCharCode(b[i]);
  return s;
}

function putName(b: Uint8Array, name: string, off = 0): void {
  for (let i = 0; i < IFNAMSIZ; i++) b[off + i] = i < name.length ? name.charCodeAt(i) : 0;
}

/** struct sockaddr_in at b[off]: family (LE), port (BE), address (BE). */
export function putSin(b: Uint8Array, off: number, addr: number): void {
  b.fill(0, off, off + 16);
  b[off] = AF_INET;
  put32(b, off + 4, addr);
}

function getSin(b: Uint8Array, off: number, strict = true): number {
  const fam = b[off] | (b[off + 1] << 8);
  if (strict && fam !== AF_INET && fam !== 0) throw new SysError(EAFNOSUPPORT);
  return get32(b, off + 4);
}

function i32(b: Uint8Array, off: number): number {
  return new DataView(b.buffer, b.byteOffset).getInt32(off, true);
}
function setI32(b: Uint8Array, off: number, v: number): void {
  new DataView(b.buffer, b.byteOffset).setInt32(off, v, true);
}
function u64(b: Uint8Array, off: number): number {
  const dv = new DataView(b.buffer, b.byteOffset);
  return dv.getUint32(off, true) + dv.getUint32(off + 4, true) * 2 ** 32;
}

function needRoot(io: IoCtx): void {
  if (io.cred.euid !== 0) throw new SysError(EPERM);
}

function ifOf(vn: Vnet, r: Uint8Array): Ifnet {
  const ifp = ifunit(vn, nameOf(r));
  if (!ifp) throw new SysError(ENODEV);
  return ifp;
}

/** Handle one ioctl; returns 0 or throws. */
export function in_ioctl(vn: Vnet, cmd: number, arg: number, io: IoCtx): number {
  switch (cmd) {
    case SIOCGIFCONF:
      return ifconf(vn, arg, io);
    case SIOCADDRT:
    case SIOCDELRT:
      needRoot(io);
      rtioctl(vn, cmd, io.copyin(arg, RTENTRY_SIZE), io);
      return 0;
    case SIOCSARP:
    case SIOCDARP:
    case SIOCGARP:
      if (cmd !== SIOCGARP) needRoot(io);
      arpioctl(vn, cmd, arg, io);
      return 0;
  }
  const r = (() => {
    if (!isIfreq(cmd)) throw new SysError(ENOTTY);
    return io.copyin(arg, IFREQ_SIZE);
  })();
  ifreq(vn, cmd, r, io);
  io.copyout(arg, r);
  return 0;
}

function isIfreq(cmd: number): boolean {
  return [
    SIOCGIFNAME, SIOCGIFFLAGS, SIOCSIFFLAGS, SIOCGIFADDR, SIOCSIFADDR, SIOCGIFBRDADDR, SIOCSIFBRDADDR,
    SIOCGIFNETMASK, SIOCSIFNETMASK, SIOCGIFMTU, SIOCSIFMTU, SIOCGIFHWADDR, SIOCGIFINDEX, SIOCGIFMETRIC,
  ].includes(cmd);
}

/** The ifreq-shaped ioctls, on a 40-byte buffer (exported for tests). */
export function ifreq(vn: Vnet, cmd: number, r: Uint8Array, io: { cred: { euid: number } }): void {
  const root = io.cred.euid === 0;
  const setter = [SIOCSIFFLAGS, SIOCSIFADDR, SIOCSIFBRDADDR, SIOCSIFNETMASK, SIOCSIFMTU].includes(cmd);
  if (setter && !root) throw new SysError(EPERM);
  if (cmd === SIOCGIFNAME) {
    const ifp = ifindex(vn, i32(r, 16));
    if (!ifp) throw new SysError(ENODEV);
    putName(r, ifp.name);
    return;
  }
  const ifp = ifOf(vn, r);
  const a = ifp.addrs[0];
  switch (cmd) {
    case SIOCGIFFLAGS:
      r[16] = ifp.flags & 255;
      r[17] = (ifp.flags >> 8) & 255;
      return;
    case SIOCSIFFLAGS:
      if_setflags(ifp, r[16] | (r[17] << 8));
      return;
    case SIOCGIFADDR:
    case SIOCGIFBRDADDR:
    case SIOCGIFNETMASK:
      if (!a) throw new SysError(99 /* EADDRNOTAVAIL, as Linux */);
      putSin(r, 16, cmd === SIOCGIFADDR ? a.addr : cmd === SIOCGIFBRDADDR ? a.broadcast : a.mask);
      return;
    case SIOCSIFADDR:
      in_setaddr(ifp, getSin(r, 16));
      return;
    case SIOCSIFBRDADDR:
      in_setbroadcast(ifp, getSin(r, 16));
      return;
    case SIOCSIFNETMASK:
      in_setmask(ifp, getSin(r, 16, false));
      return;
    case SIOCGIFMTU:
      setI32(r, 16, ifp.mtu);
      return;
    case SIOCSIFMTU: {
      const mtu = i32(r, 16);
      if (mtu < 68 || mtu > (ifp.isLoopback() ? 65536 : 9000)) throw new SysError(EINVAL);
      ifp.mtu = mtu;
      return;
    }
    case SIOCGIFMETRIC:
      setI32(r, 16, 0);
      return;
    case SIOCGIFHWADDR: {
      r.fill(0, 16, 40);
      const fam = ifp.isLoopback() ? ARPHRD_LOOPBACK : ARPHRD_ETHER;
      r[16] = fam & 255;
      r[17] = fam >> 8;
      if (!ifp.isLoopback()) r.set(ifp.hwaddr, 18);
      return;
    }
    case SIOCGIFINDEX:
      setI32(r, 16, ifp.index);
      return;
  }
  throw new SysError(ENOTTY);
}

/** SIOCGIFCONF: an ifreq (name + address) per address; ifc_buf NULL asks for the size. */
function ifconf(vn: Vnet, arg: number, io: IoCtx): number {
  const ifc = io.copyin(arg, 16);
  const len = i32(ifc, 0);
  const buf = u64(ifc, 8);
  const recs: Uint8Array[] = [];
  for (const ifp of vn.ifnets) {
    for (const a of ifp.addrs) {
      const r = new Uint8Array(IFREQ_SIZE);
      putName(r, ifp.name);
      putSin(r, 16, a.addr);
      recs.push(r);
    }
  }
  if (buf === 0) {
    setI32(ifc, 0, recs.length * IFREQ_SIZE);
    io.copyout(arg, ifc);
    return 0;
  }
  if (len < 0) throw new SysError(EINVAL);
  const n = Math.min(recs.length, Math.floor(len / IFREQ_SIZE));
  const out = new Uint8Array(n * IFREQ_SIZE);
  for (let i = 0; i < n; i++) out.set(recs[i], i * IFREQ_SIZE);
  if (n) io.copyout(buf, out);
  setI32(ifc, 0, n * IFREQ_SIZE);
  io.copyout(arg, ifc);
  return 0;
}

function readDev(io: IoCtx, va: number): string {
  if (!va) return '';
  try {
    return nameOf(io.copyin(va, IFNAMSIZ));
  } catch {
    throw new SysError(EFAULT);
  }
}

/** SIOCADDRT / SIOCDELRT with a 64-bit struct rtentry (exported for tests with dev resolved). */
export function rtioctl(vn: Vnet, cmd: number, b: Uint8Array, io: IoCtx | null, devName?: string): void {
  const dst = getSin(b, 8);
  const gw = getSin(b, 24, false);
  const flags = b[56] | (b[57] << 8);
  let mask = flags & RTF_HOST ? 0xffffffff : getSin(b, 40, false);
  const metricRaw = (b[80] | (b[81] << 8)) << 16 >> 16;
  const metric = Math.max(0, metricRaw - 1); /* route(8) passes metric + 1 */
  const dev = devName ?? (io ? readDev(io, u64(b, 88)) : '');
  if ((dst & mask) >>> 0 !== dst) throw new SysError(EINVAL);
  rt_checkmask(mask);
  if (cmd === SIOCDELRT) {
    rt_delete(vn, dst, mask, flags & RTF_GATEWAY ? gw : 0);
    return;
  }
  let ifp: Ifnet | null = dev ? ifunit(vn, dev) : null;
  if (dev && !ifp) throw new SysError(ENODEV);
  if (flags & RTF_GATEWAY) {
    if (!gw) throw new SysError(EINVAL);
    const gifp = rt_gateway_ifp(vn, gw);
    ifp = ifp ?? gifp;
  } else if (!ifp) {
    if (flags & RTF_REJECT) ifp = vn.ifnets.find((i) => i.isLoopback()) ?? null;
    else ifp = rt_gateway_ifp(vn, dst);
  }
  if (!ifp) throw new SysError(ENODEV);
  rt_add(vn, { dst, mask, gateway: flags & RTF_GATEWAY ? gw : 0, ifp, flags: flags & RTF_REJECT, metric });
  void mask;
}

/** struct arpreq: arp_pa@0, arp_ha@16, arp_flags@32, arp_netmask@36, arp_dev@52. */
function arpioctl(vn: Vnet, cmd: number, arg: number, io: IoCtx): void {
  const b = io.copyin(arg, ARPREQ_SIZE);
  const ip = getSin(b, 0);
  const dev = nameOf(b, 52);
  let ifp: Ifnet | null = dev ? ifunit(vn, dev) : null;
  if (dev && !ifp) throw new SysError(ENODEV);
  if (cmd === SIOCDARP) {
    arp_delete(vn, ip, ifp);
    return;
  }
  if (cmd === SIOCGARP) {
    const e = arp_lookup(vn, ip, ifp);
    if (!e) throw new SysError(ENXIO);
    b.fill(0, 16, 32);
    b[16] = ARPHRD_ETHER;
    if (e.mac) b.set(e.mac, 18);
    setI32(b, 32, e.flags);
    putName(b, e.ifp.name, 52);
    io.copyout(arg, b);
    return;
  }
  if (!ifp) {
    for (const i of vn.ifnets)
      for (const a of i.addrs) if (!i.isLoopback() && ((a.addr ^ ip) & a.mask) === 0) ifp = i;
  }
  if (!ifp) throw new SysError(ENXIO);
  const fam = b[16] | (b[17] << 8);
  if (fam !== ARPHRD_ETHER && fam !== 0) throw new SysError(EINVAL);
  const flags = i32(b, 32);
  arp_set(ifp, ip, b.slice(18, 24), (flags & (ATF_PERM | ATF_PUBL)) | ATF_COM);
}

