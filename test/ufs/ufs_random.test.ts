/*
 * Random operations (files, directories, renames across directories, links,
 * truncation, sparse writes) against the model, on UFS1 and UFS2; after an
 * unmount the image checks clean and remounts holding exactly the model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemBlockDev } from '../../kernel/fs/ufs/ufs_blockdev.ts';
import { UfsVolume, IFDIR, IFREG } from '../../kernel/fs/ufs/ufs_volume.ts';
import { mkfs } from '../../kernel/fs/ufs/ufs_mkfs.ts';
import { fsck } from '../../kernel/fs/ufs/ufs_fsck.ts';
import { SysError } from '../../kernel/kern/errno.ts';
import { pattern } from './ufs_helpers.ts';
import { Model } from './ufs_model.ts';

function step(m: Model, rnd: (n: number) => number, i: number): void {
  const paths = [...m.paths.keys()];
  const dirs = ['', ...paths.filter((p) => m.paths.get(p)?.type === IFDIR)];
  const files = paths.filter((p) => m.paths.get(p)?.type === IFREG);
  const pick = <T>(a: T[]) => a[rnd(a.length)];
  const fresh = () => `${pick(dirs)}/n${i}`;
  switch (rnd(9)) {
    case 0: case 1: m.create(fresh()); break;
    case 2: m.mkdir(fresh()); break;
    case 3: if (files.length) m.write(pick(files), rnd(40000), pattern(1 + rnd(20000), i)); break;
    case 4: if (files.length) m.truncate(pick(files), rnd(30000)); break;
    case 5: if (files.length) m.unlink(pick(files)); break;
    case 6: if (files.length) m.link(pick(files), fresh()); break;
    case 7: {
      const from = pick(paths);
      if (!from) break;
      const to = rnd(3) === 0 && files.length ? pick(files) : fresh();
      if (to === from || to.startsWith(from + '/')) break;
      try {
        m.rename(from, to);
      } catch (e) {
        assert.ok(e instanceof SysError, String(e)); /* dir onto file and the like */
      }
      break;
    }
    case 8: {
      const d = pick(dirs.filter((x) => x && ![...m.paths.keys()].some((p) => p.startsWith(x + '/'))));
      if (d) m.rmdir(d);
      break;
    }
  }
}

for (const ufs2 of [false, true]) {
  test(`random operations on UFS${ufs2 ? 2 : 1} match the model`, () => {
    const dev = new MemBlockDev(32 << 20);
    mkfs(dev, { ufs2, bsize: 4096, fsize: 512, time: 1 });
    let vol = UfsVolume.mount(dev, { clock: () => 5000 });
    const m = new Model(vol);
    let seed = ufs2 ? 7 : 3;
    const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % Math.max(1, n);
    for (let i = 0; i < 700; i++) step(m, rnd, i);
    m.verify(vol);
    vol.unmount();
    assert.deepEqual(fsck(dev).errors, []);
    vol = UfsVolume.mount(dev);
    m.vol = vol;
    m.verify(vol);
    vol.unmount();
  });
}
