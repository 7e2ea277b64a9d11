/*
 * Volume descriptors (ECMA-119 8): find the primary descriptor and, for
 * Joliet, a supplementary one whose escape sequences name UCS-2 level 1-3.
 * The set ends at a terminator; we also stop at the first block that is not
 * a descriptor at all, and give up after a bounded number of blocks so a
 * volume without a terminator cannot keep us reading.
 */
import { ISO_BSIZE, type BlockDev } from './blockdev.ts';
import { bread } from './cd9660_bio.ts';
import { corrupt, Cd9660Error } from './cd9660_error.ts';
import { EINVAL } from '../../kern/errno.ts';
import {
  ISO_STANDARD_ID, ISO_VD_END, ISO_VD_FIRST_BLOCK, ISO_VD_PRIMARY, ISO_VD_SUPPLEMENTARY,
  VD_BLOCK_SIZE, VD_CREATION_DATE, VD_ESCAPES, VD_FLAGS, VD_ID, VD_MODIFICATION_DATE, VD_ROOT,
  VD_SPACE_SIZE, VD_TYPE, VD_VOLUME_ID, isoChars, isonum_723, isonum_733, DR_MIN_LENGTH,
} from './iso.ts';
import { isoTime17 } from './cd9660_time.ts';
import type { Timespec } from '../../vfs/vnode.ts';

const MAX_DESCRIPTORS = 64;

export interface IsoVolumeDesc {
  block: number;          // where the descriptor is
  lbs: number;            // logical block size: unit of extent addresses
  volumeBlocks: number;   // volume space size in logical blocks
  volumeId: string;       // as recorded (padding trimmed); UCS-2 decoded for Joliet
  root: Uint8Array;       // a copy of the 34-byte root directory record
  created: Timespec;
  modified: Timespec;
}

export interface VolumeDescriptors {
  primary: IsoVolumeDesc;
  joliet: IsoVolumeDesc | null;
  jolietLevel: number;    // 0 when there is no Joliet descriptor
}

export function readVolumeDescriptors(dev: BlockDev): VolumeDescriptors {
  let primary: IsoVolumeDesc | null = null;
  let joliet: IsoVolumeDesc | null = null;
  let jolietLevel = 0;
  for (let i = 0; i < MAX_DESCRIPTORS; i++) {
    const blk = ISO_VD_FIRST_BLOCK + i;
    if ((blk + 1) * ISO_BSIZE > dev.size) break;
    const vd = bread(dev, blk * ISO_BSIZE, ISO_BSIZE);
    if (isoChars(vd, VD_ID, 5) !== ISO_STANDARD_ID) break;
    const type = vd[VD_TYPE];
    if (type === ISO_VD_END) break;
    if (type === ISO_VD_PRIMARY && !primary) primary = parseDesc(vd, blk, false);
    if (type === ISO_VD_SUPPLEMENTARY && !joliet) {
      const level = jolietEscapeLevel(vd);
      if (level) {
        joliet = parseDesc(vd, blk, true);
        jolietLevel = level;
      }
    }
  }
  if (!primary) {
    if (dev.size < (ISO_VD_FIRST_BLOCK + 1) * ISO_BSIZE) corrupt('volume too small for ISO 9660');
    throw new Cd9660Error(EINVAL, 'no ISO 9660 primary volume descriptor');
  }
  return { primary, joliet, jolietLevel };
}

/* Joliet: "%/@", "%/C" or "%/E" among the escape sequences, and not a "%/" other. */
function jolietEscapeLevel(vd: Uint8Array): number {
  // Only bit 0 of the volume flags clear means the escapes are all ISO 2375 registered.
  if (vd[VD_FLAGS] & 1) return 0;
  for (let i = VD_ESCAPES; i + 2 < VD_ESCAPES + 32; i++) {
    if (vd[i] !== 0x25 || vd[i + 1] !== 0x2f) continue;
    if (vd[i + 2] === 0x40) return 1;
    if (vd[i + 2] === 0x43) return 2;
    if (vd[i + 2] === 0x45) return 3;
  }
  return 0;
}

function parseDesc(vd: Uint8Array, block: number, ucs2: boolean): IsoVolumeDesc {
  const lbs = isonum_723(vd, VD_BLOCK_SIZE);
  // Logical blocks are 2^n bytes, 512 up to the 2048-byte sector (6.2.2).
  if (lbs !== 512 && lbs !== 1024 && lbs !== 2048) corrupt(`bad logical block size ${lbs}`);
  const root = vd.slice(VD_ROOT, VD_ROOT + DR_MIN_LENGTH);
  if (root[0] < DR_MIN_LENGTH) corrupt('bad root directory record in volume descriptor');
  return {
    block, lbs, root,
    volumeBlocks: isonum_733(vd, VD_SPACE_SIZE),
    volumeId: (ucs2 ? ucs2Chars(vd, VD_VOLUME_ID, 32) : isoChars(vd, VD_VOLUME_ID, 32)).trimEnd(),
    created: isoTime17(vd, VD_CREATION_DATE),
    modified: isoTime17(vd, VD_MODIFICATION_DATE),
  };
}

function ucs2Chars(b: Uint8Array, off: number, len: number): string {
  let s = '';
  for (let i = 0; i + 1 < len; i += 2) s += String.fromCharCode((b[off + i] << 8) | b[off + i + 1]);
  return s.replace(/\0+$/, '');
}
