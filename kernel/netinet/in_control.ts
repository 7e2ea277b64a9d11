/*
 * Interface addresses (BSD's in.c): adding one installs its connected route
 * and announces it with a gratuitous ARP.
 */
import { SysError, EADDRNOTAVAIL, EINVAL } from '../kern/errno.ts';
import { ifHooks, type Ifnet } from '../net/if.ts';
import { rt_add, rt_flush_ifp } from '../net/route.ts';
import { in_classmask } from './in.ts';

function bcastOf(addr: number, mask: number): number {
  return mask === 0xffffffff ? 0 : ((addr & mask) | ~mask) >>> 0;
}

function addConnectedRoute(ifp: Ifnet, addr: number, mask: number): void {
  try {
    rt_add(ifp.vnet, { dst: addr, mask, gateway: 0, ifp, connected: true });
  } catch {
    /* Another interface already has this net: the first one keeps it. */
  }
}

/** Add an address (an alias if the interface has one already). */
export function in_addifaddr(ifp: Ifnet, addr: number, mask?: number, broadcast?: number): void {
  addr >>>= 0;
  if (addr === 0) throw new SysError(EINVAL);
  const m = (mask ?? in_classmask(addr)) >>> 0;
  if (ifp.addrs.some((a) => a.addr === addr)) return;
  ifp.addrs.push({ addr, mask: m, broadcast: broadcast ?? bcastOf(addr, m) });
  addConnectedRoute(ifp, addr, m);
  if (ifp.usable()) for (const h of ifHooks.up) h(ifp);
}

/** Rebuild connected routes after an address/mask change. */
function rebuild(ifp: Ifnet): void {
  rt_flush_ifp(ifp.vnet, ifp, true);
  for (const a of ifp.addrs) addConnectedRoute(ifp, a.addr, a.mask);
}

/** SIOCSIFADDR: set (replace) the primary address; 0.0.0.0 removes it. */
export function in_setaddr(ifp: Ifnet, addr: number): void {
  addr >>>= 0;
  if (addr === 0) {
    ifp.addrs.splice(0, 1);
    rebuild(ifp);
    return;
  }
  const mask = in_classmask(addr);
  if (ifp.addrs.length) ifp.addrs[0] = { addr, mask, broadcast: bcastOf(addr, mask) };
  else ifp.addrs.push({ addr, mask, broadcast: bcastOf(addr, mask) });
  rebuild(ifp);
  if (ifp.usable()) for (const h of ifHooks.up) h(ifp);
}

/** SIOCSIFNETMASK on the primary address (also recomputes the broadcast). */
export function in_setmask(ifp: Ifnet, mask: number): void {
  const a = ifp.addrs[0];
  if (!a) throw new SysError(EADDRNOTAVAIL);
  mask >>>= 0;
  const inv = ~mask >>> 0;
  if ((inv & (inv + 1)) !== 0) throw new SysError(EINVAL);
  a.mask = mask;
  a.broadcast = bcastOf(a.addr, mask);
  rebuild(ifp);
}

export function in_setbroadcast(ifp: Ifnet, b: number): void {
  const a = ifp.addrs[0];
  if (!a) throw new SysError(EADDRNOTAVAIL);
  a.broadcast = b >>> 0;
}

export function in_delifaddr(ifp: Ifnet, addr: number): void {
  const i = ifp.addrs.findIndex((a) => a.addr === addr >>> 0);
  if (i < 0) throw new SysError(EADDRNOTAVAIL);
  ifp.addrs.splice(i, 1);
  rebuild(ifp);
}
