/*
 * vke: the virtual Ethernet interface (DragonFly's sys/dev/virtual/vkernel/
 * net/if_vke.c), vke0..vke15 in -I order. Each is backed by a host
 * NetBackend (a relay connection; kernel/platform.ts): frames the backend
 * receives wait in a bounded receive ring and are fed to ether_input from a
 * soft interrupt; frames the stack sends go straight to the backend.
 *
 * - MAC: `-I ...=MAC`, or 02:xx:xx:xx:xx:NN with four random bytes drawn once
 *   per host process (so a reboot keeps the address and its DHCP lease, and
 *   two vkernels differ) and NN the unit. 02 = locally administered, unicast.
 * - Ring: hw.vke.max_ringsize (boot tunable), rounded down to a power of two;
 *   by default nmbclusters / (interfaces * 2) within 8..256, nmbclusters being
 *   one 2 KiB cluster per 16 KiB of memory. A host flooding us never blocks
 *   the kernel: frames beyond the ring are dropped and counted in iqdrops.
 * - Link: up while the backend is connected (IFF_RUNNING follows it, so
 *   ifconfig shows "status: active" or "no carrier").
 * - Address: -I's address2[/netmask] is assigned when the guest brings the
 *   interface up, as the man page says, not at attach.
 * - hw.vkeN.tap_unit: read-only, the tap unit (-1 for a relay).
 */
/*
 * First, and from here: if.ts re-exports ether_input from if_ethersubr.ts, whose
 * protocols register ifHooks at load. Entering the cycle at if_ethersubr lets
 * if.ts finish before them; entering at if.ts would not.
 */
import { ether_input } from '../net/if_ethersubr.ts';
import type { Kernel } from '../kern/init_main.ts';
import type { NetSpec } from '../kern/bootconfig.ts';
import { CTLFLAG_RD, CTLFLAG_TUN, CTLTYPE_INT } from '../kern/kern_sysctl.ts';
import type { NetBackend } from '../platform.ts';
import {
  if_attach, if_link_state_change, ifHooks, IFF_RUNNING, IFF_UP, type Ifnet,
} from '../net/if.ts';
import { vnetOf } from '../net/vnet_kern.ts';
import { in_addifaddr } from '../netinet/in_control.ts';

export const NVKE = 16;
const RING_MIN = 8;
const RING_MAX = 256;
const MCLBYTES = 2048;

/* Drawn once per host process: a rebooted kernel gets the same MACs back. */
let macSalt: Uint8Array | null = null;

export class VkeSoftc {
  readonly ring: Uint8Array[] = [];
  private drainArmed = false;
  private wasUp = false;
  /** Frames the stack sent that the backend refused (link down, host buffer full). */
  txdrops = 0;

  constructor(
    readonly k: Kernel,
    readonly ifp: Ifnet,
    readonly spec: NetSpec,
    readonly backend: NetBackend | null,
    readonly ringsize: number,
  ) {}

  /** A frame from the host: queue it, or drop it if the ring is full. */
  rxFrame(frame: Uint8Array): void {
    if (this.ring.length >= this.ringsize) {
      this.ifp.iqdrops++;
      return;
    }
    this.ring.push(frame);
    if (this.drainArmed) return;
    this.drainArmed = true;
    this.k.platform.schedule(() => this.drain(), 0);
  }

  /* The soft interrupt: hand the ring to the stack, a ring's worth per turn. */
  private drain(): void {
    this.drainArmed = false;
    if (this.k.sched.halted) {
      this.ring.length = 0;
      return;
    }
    const batch = this.ring.splice(0, this.ringsize);
    for (const f of batch) ether_input(this.ifp, f);
  }

  txFrame(frame: Uint8Array): void {
    if (this.k.sched.halted || !this.backend || !this.backend.send(frame)) {
      this.txdrops++;
      this.ifp.oerrors++;
    }
  }

  link(up: boolean): void {
    if (up) this.ifp.flags |= IFF_RUNNING;
    else this.ifp.flags &= ~IFF_RUNNING;
    if (this.ifp.linkUp !== up) this.k.log(`${this.ifp.name}: link state changed to ${up ? 'UP' : 'DOWN'}`);
    if_link_state_change(this.ifp, up);
  }

  /* IFF_UP went on: assign -I's guest address the first time round (vke_init). */
  upHook(): void {
    const isUp = (this.ifp.flags & IFF_UP) !== 0;
    const cameUp = isUp && !this.wasUp;
    this.wasUp = isUp;
    if (!cameUp || !this.spec.guestAddr || this.ifp.addrs.length) return;
    const addr = inetAddr(this.spec.guestAddr);
    if (addr === 0) return;
    in_addifaddr(this.ifp, addr, this.spec.netmaskLen !== undefined ? prefixMask(this.spec.netmaskLen) : undefined);
  }

  downHook(): void {
    this.wasUp = false;
  }
}

const softcs = new WeakMap<Kernel, VkeSoftc[]>();
const byIfp = new WeakMap<Ifnet, VkeSoftc>();
let hooked = false;

/** The attached vke units of a kernel (tests, sysctl). */
export function vkeUnits(k: Kernel): readonly VkeSoftc[] {
  return softcs.get(k) ?? [];
}

function inetAddr(s: string): number {
  const p = s.split('.').map(Number);
  return (((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0);
}

function prefixMask(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

function hex2(b: number): string {
  return b.toString(16).padStart(2, '0');
}

export function vkeMac(k: Kernel, spec: NetSpec): Uint8Array {
  if (spec.mac) return Uint8Array.from(spec.mac.split(':').map((h) => parseInt(h, 16)));
  if (!macSalt) {
    macSalt = new Uint8Array(4);
    k.platform.randomBytes(macSalt);
  }
  return Uint8Array.of(0x02, macSalt[0], macSalt[1], macSalt[2], macSalt[3], spec.unit & 0xff);
}

/** hw.vke.max_ringsize: the tunable, or the driver's default; a power of two. */
export function vkeRingsize(k: Kernel, nifs: number): number {
  const tun = k.kenv.get('hw.vke.max_ringsize');
  let n: number;
  if (tun !== undefined && /^\d+$/.test(tun) && Number(tun) > 0) {
    n = Number(tun);
  } else {
    const nmbclusters = Math.floor(k.config.memSize / (MCLBYTES * 8));
    n = Math.min(RING_MAX, Math.max(RING_MIN, Math.floor(nmbclusters / (Math.max(1, nifs) * 2))));
  }
  return 2 ** Math.floor(Math.log2(n));
}

/** Attach vke0.. for config.nets (boot, after the stack exists). */
export function vkeAttach(k: Kernel): void {
  const nets = k.config.nets.slice(0, NVKE);
  if (nets.length === 0) return;
  const ringsize = vkeRingsize(k, nets.length);
  const list: VkeSoftc[] = [];
  softcs.set(k, list);
  k.sysctl.leaf('hw.vke.max_ringsize', {
    kind: CTLTYPE_INT | CTLFLAG_RD | CTLFLAG_TUN, descr: 'vke receive ring size (frames)', get: () => ringsize,
  });
  const vn = vnetOf(k);
  for (const spec of nets) {
    const be = k.platform.netBackends?.[spec.unit] ?? null;
    const mac = vkeMac(k, spec);
    const ifp = if_attach(vn, { name: 'vke', unit: spec.unit, hwaddr: mac });
    const sc = new VkeSoftc(k, ifp, spec, be, ringsize);
    list.push(sc);
    byIfp.set(ifp, sc);
    ifp.if_output = (_ifp, frame) => sc.txFrame(frame);
    k.log(`vke${spec.unit}: MAC address: ${[...mac].map(hex2).join(':')}`);
    if (k.config.verbose) {
      const addr = spec.guestAddr ? inetAddr(spec.guestAddr) : 0;
      const mask = spec.netmaskLen !== undefined ? prefixMask(spec.netmaskLen) : 0;
      k.log(`vke${spec.unit}: pre-configured address 0x${hex8(addr)}, netmask 0x${hex8(mask)}, ${ringsize} mbuf clusters`);
      if (be) k.log(`vke${spec.unit}: backend ${be.description}`);
    }
    k.sysctl.leaf(`hw.vke${spec.unit}.tap_unit`, {
      kind: CTLTYPE_INT | CTLFLAG_RD, descr: 'Backend tap(4) unit (-1: vknetd relay)', get: () => be?.tapUnit ?? -1,
    });
    const up = be?.linkUp ?? false;
    if (!up) ifp.flags &= ~IFF_RUNNING;
    ifp.linkUp = up;
    be?.attach({ receive: (f) => sc.rxFrame(f), link: (u) => sc.link(u) }, mac);
  }
  if (hooked) return;
  /* ifHooks are process-wide: one pair of hooks serves every kernel's vke units. */
  hooked = true;
  ifHooks.up.push((ifp) => byIfp.get(ifp)?.upHook());
  ifHooks.down.push((ifp) => byIfp.get(ifp)?.downHook());
}

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}
