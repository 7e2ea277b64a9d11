/*
 * The IPv4 routing table: connected routes (one per interface address),
 * static routes and a default route, looked up by longest-prefix match.
 * A table this size (tens of entries) is searched linearly; the longest mask
 * wins, then the lowest metric.
 */
import { SysError, EEXIST, ENETUNREACH, ESRCH, EINVAL } from '../kern/errno.ts';
import { ifHooks, type Ifnet } from './if.ts';
import type { Vnet } from './vnet.ts';

/* Linux route flags (RTF_* in <linux/route.h>). */
export const RTF_UP = 0x0001;
export const RTF_GATEWAY = 0x0002;
export const RTF_HOST = 0x0004;
export const RTF_REJECT = 0x0200;

export interface Rtentry {
  dst: number;
  mask: number;
  gateway: number;
  ifp: Ifnet;
  flags: number;
  metric: number;
  /** Connected routes come and go with interface addresses. */
  connected: boolean;
  use: number;
  refcnt: number;
  mtu: number;
}

export class RouteTable {
  readonly entries: Rtentry[] = [];
}

export function route_init(vn: Vnet): void {
  vn.routes = new RouteTable();
}

function same(a: Rtentry, dst: number, mask: number, metric: number): boolean {
  return a.dst === dst && a.mask === mask && a.metric === metric;
}

/** Add a route. Throws EEXIST for a duplicate destination/mask/metric. */
export function rt_add(
  vn: Vnet,
  r: { dst: number; mask: number; gateway: number; ifp: Ifnet; flags?: number; metric?: number; connected?: boolean },
): Rtentry {
  const mask = r.mask >>> 0;
  const dst = (r.dst & mask) >>> 0;
  const metric = r.metric ?? 0;
  if (vn.routes.entries.some((e) => same(e, dst, mask, metric) && (r.connected ? e.ifp === r.ifp : true)))
    throw new SysError(EEXIST);
  let flags = RTF_UP | (r.flags ?? 0);
  if (r.gateway) flags |= RTF_GATEWAY;
  if (mask === 0xffffffff) flags |= RTF_HOST;
  const e: Rtentry = {
    dst,
    mask,
    gateway: r.gateway >>> 0,
    ifp: r.ifp,
    flags,
    metric,
    connected: r.connected ?? false,
    use: 0,
    refcnt: 0,
    mtu: 0,
  };
  vn.routes.entries.push(e);
  return e;
}

/** Delete the route for dst/mask (and gateway, if nonzero). */
export function rt_delete(vn: Vnet, dst: number, mask: number, gateway = 0, metric?: number): void {
  const t = vn.routes.entries;
  const i = t.findIndex(
    (e) =>
      e.dst === (dst & mask) >>> 0 &&
      e.mask === mask >>> 0 &&
      (gateway === 0 || e.gateway === gateway >>> 0) &&
      (metric === undefined || e.metric === metric),
  );
  if (i < 0) throw new SysError(ESRCH);
  t.splice(i, 1);
}

/** Longest-prefix match over routes whose interface is usable. */
export function rtalloc(vn: Vnet, dst: number): Rtentry | null {
  let best: Rtentry | null = null;
  for (const e of vn.routes.entries) {
    if (((dst & e.mask) >>> 0) !== e.dst || !e.ifp.usable()) continue;
    if (!best || e.mask >>> 0 > best.mask >>> 0 || (e.mask === best.mask && e.metric < best.metric)) best = e;
  }
  if (best) best.use++;
  return best;
}

/** The route's next hop for dst, or throw ENETUNREACH/EHOSTUNREACH. */
export function rt_nexthop(vn: Vnet, dst: number): { ifp: Ifnet; nexthop: number; rt: Rtentry } {
  const rt = rtalloc(vn, dst);
  if (!rt) throw new SysError(ENETUNREACH);
  if (rt.flags & RTF_REJECT) throw new SysError(ENETUNREACH);
  return { ifp: rt.ifp, nexthop: rt.flags & RTF_GATEWAY ? rt.gateway : dst, rt };
}

/** A gateway must be reachable through a connected route. */
export function rt_gateway_ifp(vn: Vnet, gw: number): Ifnet {
  for (const e of vn.routes.entries) if (e.connected && ((gw & e.mask) >>> 0) === e.dst) return e.ifp;
  throw new SysError(ENETUNREACH);
}

/** Drop every route through ifp (detach), or only connected ones. */
export function rt_flush_ifp(vn: Vnet, ifp: Ifnet, connectedOnly = false): void {
  const t = vn.routes.entries;
  for (let i = t.length - 1; i >= 0; i--) if (t[i].ifp === ifp && (!connectedOnly || t[i].connected)) t.splice(i, 1);
}

/** Validate a mask is contiguous. */
export function rt_checkmask(mask: number): void {
  const inv = ~mask >>> 0;
  if ((inv & (inv + 1)) !== 0) throw new SysError(EINVAL);
}

let hooked = false;
/** Install the interface hooks (from vnet_create; not at import, which may be mid-cycle). */
export function route_hooks(): void {
  if (hooked) return;
  hooked = true;
  ifHooks.detached.push((ifp) => rt_flush_ifp(ifp.vnet, ifp));
}
