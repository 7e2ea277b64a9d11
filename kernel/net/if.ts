/*
 * struct ifnet: one network interface.
 *
 * CONTRACT: vke driver plugs in here.
 *   const ifp = if_attach(vnetOf(k), { name: 'vke', unit: 0, hwaddr, mtu: 1500 });
 *   ifp.if_output = (ifp, frame) => { ...send the Ethernet frame on the wire... };
 *   ether_input(ifp, frame);          // for every frame received (no FCS)
 *   if_link_state_change(ifp, up);    // carrier up/down
 *   if_detach(ifp);                   // the device goes away
 * Frames are whole Ethernet II frames (14-byte header + payload, no FCS); the
 * stack never keeps a reference to a frame passed to if_output after it
 * returns, and ether_input copies what it keeps, so buffers may be reused.
 */
import type { Vnet } from './vnet.ts';

/* Linux <net/if.h> values (the ioctls and /proc/net/dev speak Linux). */
export const IFF_UP = 0x1;
export const IFF_BROADCAST = 0x2;
export const IFF_DEBUG = 0x4;
export const IFF_LOOPBACK = 0x8;
export const IFF_POINTOPOINT = 0x10;
export const IFF_RUNNING = 0x40;
export const IFF_NOARP = 0x80;
export const IFF_PROMISC = 0x100;
export const IFF_MULTICAST = 0x1000;
/** Flags the user may change with SIOCSIFFLAGS. */
export const IFF_CANTCHANGE = IFF_BROADCAST | IFF_LOOPBACK | IFF_RUNNING;

export const ETHER_ADDR_LEN = 6;
export const ETHERMTU = 1500;

/** An IPv4 address on an interface (host byte order, unsigned). */
export interface InIfaddr {
  addr: number;
  mask: number;
  broadcast: number;
}

export type IfOutput = (ifp: Ifnet, frame: Uint8Array) => void;

export class Ifnet {
  /** 1-based, never reused while attached (SIOCGIFINDEX). */
  index = 0;
  flags: number;
  mtu: number;
  readonly hwaddr: Uint8Array;
  readonly addrs: InIfaddr[] = [];
  linkUp = true;
  /** Set by the driver: transmit one Ethernet frame. */
  if_output: IfOutput | null = null;
  /* Counters (netstat -i, /proc/net/dev). */
  ipackets = 0;
  opackets = 0;
  ibytes = 0;
  obytes = 0;
  ierrors = 0;
  oerrors = 0;
  collisions = 0;
  iqdrops = 0;
  imcasts = 0;
  /** Frames dropped for an unknown ethertype (also counted in iqdrops). */
  noproto = 0;

  constructor(
    readonly vnet: Vnet,
    readonly dname: string,
    readonly unit: number,
    hwaddr: Uint8Array,
    mtu: number,
    flags: number,
  ) {
    this.hwaddr = new Uint8Array(ETHER_ADDR_LEN);
    this.hwaddr.set(hwaddr.subarray(0, ETHER_ADDR_LEN));
    this.mtu = mtu;
    this.flags = flags;
  }

  /** "vke0", "lo0". */
  get name(): string {
    return `${this.dname}${this.unit}`;
  }

  isLoopback(): boolean {
    return (this.flags & IFF_LOOPBACK) !== 0;
  }

  /** Up, running and (for real links) carrier present. */
  usable(): boolean {
    return (this.flags & IFF_UP) !== 0 && (this.flags & IFF_RUNNING) !== 0 && this.linkUp;
  }

  /** The first (primary) IPv4 address, or 0. */
  primaryAddr(): number {
    return this.addrs.length ? this.addrs[0].addr : 0;
  }
}

export interface IfAttachArgs {
  name: string;
  unit: number;
  hwaddr?: Uint8Array;
  mtu?: number;
  /** Extra flags; Ethernet interfaces get BROADCAST|MULTICAST|RUNNING. */
  flags?: number;
}

/** Hooks other layers install so if.ts stays at the bottom of the import graph. */
export const ifHooks = {
  /** Interface went away or down: flush its routes and ARP entries. */
  detached: [] as Array<(ifp: Ifnet) => void>,
  /** Interface taken down (SIOCSIFFLAGS): drop its ARP entries. */
  down: [] as Array<(ifp: Ifnet) => void>,
  /** Link came up or addresses changed (gratuitous ARP). */
  up: [] as Array<(ifp: Ifnet) => void>,
};

/** Attach an interface to a stack. Ethernet unless flags say LOOPBACK. */
export function if_attach(vn: Vnet, a: IfAttachArgs): Ifnet {
  if (ifunit(vn, `${a.name}${a.unit}`)) throw new Error(`if_attach: ${a.name}${a.unit} exists`);
  const loop = ((a.flags ?? 0) & IFF_LOOPBACK) !== 0;
  const flags = (a.flags ?? 0) | IFF_RUNNING | (loop ? 0 : IFF_BROADCAST | IFF_MULTICAST);
  const ifp = new Ifnet(vn, a.name, a.unit, a.hwaddr ?? new Uint8Array(6), a.mtu ?? ETHERMTU, flags);
  ifp.index = vn.ifnets.reduce((m, i) => Math.max(m, i.index), 0) + 1;
  vn.ifnets.push(ifp);
  return ifp;
}

export function if_detach(ifp: Ifnet): void {
  const vn = ifp.vnet;
  const i = vn.ifnets.indexOf(ifp);
  if (i < 0) return;
  ifp.flags &= ~(IFF_UP | IFF_RUNNING);
  for (const h of ifHooks.detached) h(ifp);
  vn.ifnets.splice(i, 1);
  ifp.if_output = null;
}

/** Carrier change from the driver. */
export function if_link_state_change(ifp: Ifnet, up: boolean): void {
  if (ifp.linkUp === up) return;
  ifp.linkUp = up;
  if (up && ifp.usable()) for (const h of ifHooks.up) h(ifp);
}

/** Change flags (SIOCSIFFLAGS); bringing an interface up announces its addresses. */
export function if_setflags(ifp: Ifnet, flags: number): void {
  const wasUp = (ifp.flags & IFF_UP) !== 0;
  ifp.flags = (ifp.flags & IFF_CANTCHANGE) | (flags & ~IFF_CANTCHANGE);
  const isUp = (ifp.flags & IFF_UP) !== 0;
  if (wasUp && !isUp) for (const h of ifHooks.down) h(ifp);
  if (!wasUp && isUp) for (const h of ifHooks.up) h(ifp);
}

export function ifunit(vn: Vnet, name: string): Ifnet | null {
  return vn.ifnets.find((i) => i.name === name) ?? null;
}

export function ifindex(vn: Vnet, index: number): Ifnet | null {
  return vn.ifnets.find((i) => i.index === index) ?? null;
}

/** The interface that owns local address a, if any. */
export function ifa_ifwithaddr(vn: Vnet, a: number): Ifnet | null {
  for (const ifp of vn.ifnets) for (const ia of ifp.addrs) if (ia.addr === a) return ifp;
  return null;
}

export { ether_input } from './if_ethersubr.ts';
