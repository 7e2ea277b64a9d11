/*
 * The kernel's network stack instance: one Vnet per booted Kernel, made on
 * first use (by inet init or a driver attaching), with lo0 attached. Sockets
 * created without a thread (unit tests) use curvnet.
 */
import type { Kernel } from '../kern/init_main.ts';
import { loattach } from './if_loop.ts';
import { route_hooks, route_init } from './route.ts';
import { arp_hooks } from '../netinet/if_ether.ts';
import { Vnet, type NetEnv } from './vnet.ts';

const vnets = new WeakMap<object, Vnet>();
let cur: Vnet | null = null;

/** A fresh stack with lo0 (tests call this with a fake clock). */
export function vnet_create(env: NetEnv): Vnet {
  route_hooks();
  arp_hooks();
  const vn = new Vnet(env);
  route_init(vn);
  loattach(vn);
  return vn;
}

export function vnetOf(k: Kernel): Vnet {
  let vn = vnets.get(k);
  if (!vn) {
    vn = vnet_create({
      now: () => k.uptimeMs(),
      schedule: (fn, ms) => k.platform.schedule(fn, ms),
      random: (b) => k.platform.randomBytes(b),
    });
    vnets.set(k, vn);
  }
  cur = vn;
  return vn;
}

/** The stack for calls with no thread behind them. */
export function curvnet(): Vnet {
  if (!cur) throw new Error('no network stack');
  return cur;
}

export function setCurvnet(vn: Vnet | null): void {
  cur = vn;
}

export function curvnetOrNull(): Vnet | null {
  return cur;
}
