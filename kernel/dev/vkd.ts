/*
 * vkd: the virtual disk (DragonFly's sys/dev/virtual/vkernel/disk), a block
 * store with 512-byte sectors, vkd0..vkd15 in -r order. Attach prints what
 * the real driver prints.
 */
import type { BlockStore } from '../platform.ts';
import type { BufCache } from '../vfs/vfs_bio.ts';
import { DiskUnit, diskRegister } from './disk/subr_disk.ts';

export const VKD_SECSIZE = 512;
export const NVKD = 16;

export function vkdAttach(cache: BufCache, store: BlockStore, unit: number, serno: string | undefined, log: (s: string) => void): DiskUnit {
  const name = `vkd${unit}`;
  const du = new DiskUnit(name, 'vkd', unit, cache.attach(store, name), VKD_SECSIZE, serno);
  const sectors = Math.floor(store.size / VKD_SECSIZE);
  log(`${name}: <Virtual disk>${serno ? ` Serial Number ${serno}` : ''}`);
  log(`${name}: ${Math.floor(store.size / (1024 * 1024))}MB (${sectors} ${VKD_SECSIZE} byte sectors)`);
  diskRegister(du);
  return du;
}
