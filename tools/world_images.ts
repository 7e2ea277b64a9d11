/*
 * Pack the staged world into what the playground boots: a UFS1 root disk
 * (disklabel64 on the bare disk, so root is vkd0s0a as in vkernel(7)) with
 * room for the user's files, a live ISO (ISO9660 + Rock Ridge + Joliet) of
 * the same tree, and a manifest with sizes and hashes. Reproducible: every
 * timestamp is SOURCE_DATE_EPOCH (or buildworld's fixed epoch).
 *
 *   node --import tsx tools/world_images.ts [--root build/world/root] [--out public/images]
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildImage } from './makefs.ts';
import { MAX_EXTENT, writeIso } from './iso_write.ts';
import { EPOCH } from './world_epoch.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MIB = 1 << 20;
/** The root disk's size: the world is a few MB; the rest is the user's. */
export const ROOT_IMAGE_SIZE = 64 * MIB;

export interface ImageInfo {
  name: string;
  kind: 'disk' | 'iso';
  size: number;
  sha256: string;
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Write root.img, live.iso and images.json into outDir; returns the manifest entries. */
export function packImages(root: string, outDir: string, epoch: number): ImageInfo[] {
  mkdirSync(outDir, { recursive: true });
  const img = join(outDir, 'root.img');
  const iso = join(outDir, 'live.iso');
  const disk = buildImage(root, { version: 1, size: ROOT_IMAGE_SIZE, epoch, wrap: 'label', volname: 'vkroot' });
  writeFileSync(`${img}.tmp`, disk);
  renameSync(`${img}.tmp`, img);
  writeIso(root, `${iso}.tmp`, { rockRidge: true, joliet: true, level: 3, volid: 'VKERNEL_LIVE', date: epoch, maxExtent: MAX_EXTENT });
  renameSync(`${iso}.tmp`, iso);
  const images: ImageInfo[] = [
    { name: 'root.img', kind: 'disk', size: disk.length, sha256: sha256(img) },
    { name: 'live.iso', kind: 'iso', size: readFileSync(iso).length, sha256: sha256(iso) },
  ];
  writeFileSync(join(outDir, 'images.json'), JSON.stringify({ epoch, images }, null, 1) + '\n');
  return images;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  let root = join(REPO, 'build', 'world', 'root');
  let out = join(REPO, 'public', 'images');
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--root') root = resolve(argv[++i]);
    else if (argv[i] === '--out') out = resolve(argv[++i]);
    else {
      console.error('usage: world_images [--root dir] [--out dir]');
      process.exit(64);
    }
  }
  for (const i of packImages(root, out, EPOCH)) console.log(`${i.name}: ${i.size} bytes sha256 ${i.sha256}`);
}
