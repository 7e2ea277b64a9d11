/*
 * vcd: the virtual CD (DragonFly's sys/dev/virtual/vkernel/cdrom), a
 * read-only block store with 2048-byte blocks, vcd0..vcd15 in -c order.
 * It attaches silently, like the real driver; writes fail with EROFS.
 */
import type { BlockStore } from '../platform.ts';
import type { BufCache } from '../vfs/vfs_bio.ts';
import { DiskUnit, diskRegister } from './disk/subr_disk.ts';

export const VCD_SECSIZE = 2048;
export const NVCD = 16;

export function vcdAttach(cache: BufCache, store: BlockStore, unit: number): DiskUnit {
  const name = `vcd${unit}`;
  const du = new DiskUnit(name, 'vcd', unit, cache.attach(store, name), VCD_SECSIZE, undefined);
  diskRegister(du);
  return du;
}
