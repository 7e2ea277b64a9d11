/*
 * fsck_ffs, fsck, newfs and disklabel (userland/sbin): images written by
 * tools/makefs.ts and by Debian's makefs are damaged on purpose (link
 * count, unreferenced inode, bitmap bits, cg summary, a name of a free
 * inode, the clean flag) and repaired by our fsck_ffs under qemu-riscv64;
 * then the kernel's checker (ufs_fsck.ts) finds them clean and the kernel's
 * UFS mounts them with the files intact.  newfs's file systems mount and
 * check clean; disklabel prints the world image's label.  One boot test:
 * SIGKILL bin/vkernel during writes, boot again, rc runs fsck -p and the
 * system comes up multi-user with / read-write.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, linkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureWorld, ROOT } from './harness.ts';
import { startVkernel } from '../boot/harness.ts';
import { buildImage } from '../../tools/makefs.ts';
import { fsck } from '../../kernel/fs/ufs/ufs_fsck.ts';
import { MemBlockDev, type BlockDev } from '../../kernel/fs/ufs/ufs_blockdev.ts';
import { UfsVolume } from '../../kernel/fs/ufs/ufs_volume.ts';
import { F, sbFind, CS_NBFREE, type Superblock } from '../../kernel/fs/ufs/ufs_fs.ts';
import { Cg } from '../../kernel/fs/ufs/ufs_cg.ts';
import { dinodeDecode } from '../../kernel/fs/ufs/ufs_dinode.ts';
import { chunkRemove, DIRBLKSIZ, readRec } from '../../kernel/fs/ufs/ufs_dir.ts';
import { disklabel64Parse, dsOpen, dsProbe } from '../../kernel/dev/disk/diskslice.ts';

const HOST_MAKEFS = '/usr/sbin/makefs';
const qemuPath = ['/usr/bin/qemu-riscv64', '/usr/local/bin/qemu-riscv64'].find((p) => existsSync(p));
const skipQemu = qemuPath ? false : 'needs qemu-riscv64';
const MIB = 1 << 20;

let tmp = '';
let src = '';

/* Deterministic contents: a file's bytes say which file they are. */
function pattern(seed: number, len: number): Buffer {
  const b = Buffer.alloc(len);
  let x = seed >>> 0;
  for (let i = 0; i < len; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

const FILES: Record<string, Buffer> = {
  'a.txt': Buffer.from('hello, fsck\n'),
  'sub/big': pattern(1, 300 * 1024),    // past the direct blocks: an indirect block
  'sub/deep/x': pattern(2, 5000),
  'sub/deep/y': pattern(3, 40000),
  'hard1': pattern(4, 3000),
};

before(async () => {
  const r = await ensureWorld();
  for (const p of ['fsck_ffs', 'fsck', 'newfs', 'disklabel']) {
    assert.ok(existsSync(join(ROOT, 'sbin', p)), `${p} not built: ${r.errors.join('\n')}`);
  }
  tmp = mkdtempSync(join(tmpdir(), 'w4-fsck-'));
  src = join(tmp, 'src');
  for (const [name, data] of Object.entries(FILES)) {
    mkdirSync(join(src, name, '..'), { recursive: true });
    writeFileSync(join(src, name), data);
  }
  linkSync(join(src, 'hard1'), join(src, 'hard2'));
  symlinkSync('sub/deep/x', join(src, 'lnk'));
});

after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

interface Run { status: number; out: string }

/** A world program under qemu-riscv64 (on image files: the fastest way to run it). */
function sbin(prog: string, args: string[]): Run {
  const r = spawnSync(qemuPath as string, ['-L', ROOT, join(ROOT, 'sbin', prog), ...args], { encoding: 'utf8', timeout: 120000 });
  return { status: r.status ?? 128, out: (r.stdout ?? '') + (r.stderr ?? '') };
}

/* ---- images ---- */

type Kind = 'makefs.ts ufs1' | 'makefs.ts ufs2' | 'debian makefs ufs1' | 'debian makefs ufs2';
const KINDS: Kind[] = ['makefs.ts ufs1', 'makefs.ts ufs2', 'debian makefs ufs1', 'debian makefs ufs2'];
const haveHostMakefs = existsSync(HOST_MAKEFS);

function makeImage(kind: Kind, path: string): void {
  if (kind.startsWith('makefs.ts')) {
    writeFileSync(path, buildImage(src, { version: kind.endsWith('2') ? 2 : 1, size: 8 * MIB, epoch: 1700000000 }));
    return;
  }
  const r = spawnSync(HOST_MAKEFS, ['-t', 'ffs', '-o', `version=${kind.endsWith('2') ? 2 : 1}`, '-s', '8m', path, src], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

/** The image's file system, its superblock, and a read-only view for finding things. */
class Img {
  readonly bytes: Uint8Array;
  readonly dev: BlockDev;
  readonly sb: Superblock;
  readonly vol: UfsVolume;

  constructor(readonly path: string) {
    this.bytes = new Uint8Array(readFileSync(path));
    this.dev = new MemBlockDev(this.bytes);
    const sb = sbFind(this.dev);
    assert.ok(sb, 'superblock');
    this.sb = sb;
    this.vol = UfsVolume.mount(this.dev, { readonly: true, dirty: 'readonly' });
  }

  ino(path: string): number {
    let ino = this.vol.root;
    for (const c of path.split('/').filter(Boolean)) ino = this.vol.lookup(ino, c);
    return ino;
  }

  dinode(ino: number) {
    return dinodeDecode(this.bytes.subarray(this.sb.inoOffset(ino)), this.sb.ufs2, this.sb.maxsymlinklen);
  }

  cg(c: number): Cg {
    const off = this.sb.cgtod(c) * this.sb.fsize;
    return new Cg(this.sb, this.bytes.subarray(off, off + this.sb.cgsize));
  }

  /** Edit the directory record dir/name in place: fn gets the block, the chunk base and the record offset. */
  editEntry(dir: string, name: string, fn: (blk: Uint8Array, base: number, off: number) => void): void {
    const ip = this.dinode(this.ino(dir));
    for (let lbn = 0; lbn < 12 && lbn * this.sb.bsize < ip.size; lbn++) {
      const at = ip.db[lbn] * this.sb.fsize;
      const blk = this.bytes.subarray(at, at + Math.min(this.sb.bsize, ip.size - lbn * this.sb.bsize));
      for (let base = 0; base < blk.length; base += DIRBLKSIZ) {
        for (let off = base; off < base + DIRBLKSIZ;) {
          const r = readRec(blk, off);
          if (r.ino !== 0 && r.name === name) return fn(blk, base, off);
          off += r.reclen;
        }
      }
    }
    assert.fail(`no entry ${dir}/${name}`);
  }

  save(): void {
    writeFileSync(this.path, this.bytes);
  }
}

/** The kernel's view after repair: its checker finds nothing, and every file reads back as written. */
function verify(path: string, moved: Record<string, string> = {}): void {
  const bytes = new Uint8Array(readFileSync(path));
  const dev = new MemBlockDev(bytes);
  const r = fsck(dev, {});
  assert.deepEqual(r.errors, [], 'kernel checker errors');
  assert.deepEqual(r.warnings, [], 'kernel checker warnings');
  assert.ok(r.ok && r.clean, 'clean');
  const vol = UfsVolume.mount(dev, { readonly: true });
  const lookup = (p: string): number => p.split('/').filter(Boolean).reduce((ino, c) => vol.lookup(ino, c), vol.root);
  for (const [name, data] of Object.entries(FILES)) {
    const ino = lookup(moved[name] ?? name);
    assert.equal(vol.getattr(ino).size, data.length, `size of ${name}`);
    assert.ok(Buffer.from(vol.read(ino, 0, data.length)).equals(data), `contents of ${name}`);
  }
  assert.equal(vol.readlink(lookup('lnk')), 'sub/deep/x');
}

interface Damage {
  name: string;
  /** Breaks the image; returns files moved to lost+found (name → new path). */
  apply(m: Img): Record<string, string> | void;
  /** What fsck -n says about it. */
  report: RegExp;
  /** fsck -p repairs it (else preen stops with exit 8). */
  preen: boolean;
}

const DAMAGE: Damage[] = [
  {
    name: 'wrong link count',
    apply: (m) => { new DataView(m.bytes.buffer).setInt16(m.sb.inoOffset(m.ino('sub/deep/x')) + 2, 5, true); },
    report: /LINK COUNT FILE +I=\d+ .*\n.* COUNT 5 SHOULD BE 1/, preen: true,
  },
  {
    name: 'unreferenced inode (its name removed)',
    apply: (m) => {
      const ino = m.ino('sub/deep/y');
      m.editEntry('sub/deep', 'y', (blk, base, off) => chunkRemove(blk, base, off));
      return { 'sub/deep/y': `lost+found/#${ino}` };
    },
    report: /UNREF FILE +I=\d+/, preen: true,
  },
  {
    name: 'fragment map: a used block marked free',
    apply: (m) => {
      const a = m.dinode(m.ino('sub/big')).db[3];
      const c = m.sb.dtog(a);
      m.cg(c).setFragFree(m.sb.dtogd(a), true);
    },
    report: /BLK\(S\) MISSING IN BIT MAPS/, preen: true,
  },
  {
    name: 'fragment map: a free block marked used',
    apply: (m) => {
      const cg = m.cg(0);
      let f = cg.ndblk - 1;
      while (!cg.fragFree(f)) f--;
      cg.setFragFree(f, false);
    },
    report: /BLK\(S\) MISSING IN BIT MAPS/, preen: true,
  },
  {
    name: 'inode map: a used inode marked free',
    apply: (m) => {
      const ino = m.ino('hard1');
      m.cg(m.sb.inoToCg(ino)).setInoUsed(ino % m.sb.ipg, false);
    },
    report: /INODE BITMAP WRONG/, preen: true,
  },
  {
    name: 'cylinder group summary wrong',
    apply: (m) => { m.cg(0).addCs(CS_NBFREE, 3); },
    report: /SUMMARY INFORMATION BAD/, preen: true,
  },
  {
    name: 'superblock totals wrong',
    apply: (m) => {
      const t = m.sb.getCstotal();
      t[CS_NBFREE] += 7;
      m.sb.setCstotal(t);
      m.bytes.set(m.sb.raw, m.sb.location);
    },
    report: /FREE BLK COUNT\(S\) WRONG IN SUPERBLK/, preen: true,
  },
  {
    name: 'directory entry naming a free inode',
    apply: (m) => {
      const ino = m.ino('a.txt');
      let free = m.sb.ipg - 1;
      while (m.cg(0).inoUsed(free)) free--;
      m.editEntry('/', 'a.txt', (blk, _base, off) => { new DataView(blk.buffer, blk.byteOffset).setUint32(off, free, true); });
      return { 'a.txt': `lost+found/#${ino}` };
    },
    report: /UNALLOCATED +I=\d+[^\n]*\n[^\n]*\nFILE=\/a\.txt/, preen: false,
  },
  {
    name: 'clean flag cleared',
    apply: (m) => {
      m.sb.raw[F.clean] = 0;
      m.bytes.set(m.sb.raw, m.sb.location);
    },
    report: /^\*\* Phase 5 - Check Cyl groups$/m, preen: true,
  },
];

describe('fsck_ffs repairs damaged images', { concurrency: 4 }, () => {
  for (const kind of KINDS) {
    const skip = skipQemu || (kind.startsWith('debian') && !haveHostMakefs ? 'needs /usr/sbin/makefs' : false);
    test(`${kind}: fresh image checks clean (-f), and clean without -f is skipped`, { skip }, () => {
      const img = join(tmp, `${kind.replace(/\W+/g, '_')}.fresh.img`);
      makeImage(kind, img);
      const r = sbin('fsck_ffs', ['-f', img]);
      assert.equal(r.status, 0, r.out);
      assert.match(r.out, /\*\* Phase 1 - Check Blocks and Sizes[\s\S]*\*\* Phase 5 - Check Cyl groups\n\d+ files, \d+ used, \d+ free \(\d+ frags, \d+ blocks, \d+\.\d% fragmentation\)/);
      assert.doesNotMatch(r.out, /MODIFIED/);
      const s = sbin('fsck_ffs', [img]);
      assert.equal(s.status, 0, s.out);
      assert.match(s.out, /FILE SYSTEM CLEAN; SKIPPING CHECKS/);
      const p = sbin('fsck_ffs', ['-p', img]);
      assert.equal(p.status, 0, p.out);
      assert.match(p.out, /: clean, \d+ free/);
      verify(img);
    });
    for (const d of DAMAGE) {
      test(`${kind}: ${d.name}`, { skip }, () => {
        const img = join(tmp, `${kind.replace(/\W+/g, '_')}.${d.name.replace(/\W+/g, '_')}.img`);
        makeImage(kind, img);
        const m = new Img(img);
        const moved = d.apply(m) ?? {};
        m.save();
        const before = readFileSync(img);

        const n = sbin('fsck_ffs', ['-fn', img]);
        assert.match(n.out, d.report, n.out);
        assert.ok(readFileSync(img).equals(before), 'fsck -n wrote to the image');

        const p = sbin('fsck_ffs', ['-fp', img]);
        if (d.preen) {
          assert.equal(p.status, 0, p.out);
          verify(img, moved);
          return;
        }
        assert.equal(p.status, 8, p.out);
        assert.match(p.out, /UNEXPECTED INCONSISTENCY; RUN fsck MANUALLY\./);

        const y = sbin('fsck_ffs', ['-fy', img]);
        assert.equal(y.status, 0, y.out);
        assert.match(y.out, /\*\*\*\*\* FILE SYSTEM WAS MODIFIED \*\*\*\*\*/);
        verify(img, moved);
        const again = sbin('fsck_ffs', ['-f', img]);
        assert.equal(again.status, 0, again.out);
        assert.doesNotMatch(again.out, /MODIFIED/, again.out);
      });
    }
  }

  test('duplicate blocks: both claimants are cleared with -y, the rest survives', { skip: skipQemu }, () => {
    const img = join(tmp, 'dup.img');
    makeImage('makefs.ts ufs1', img);
    const m = new Img(img);
    const x = m.ino('sub/big'), y = m.ino('sub/deep/y');
    const dx = m.dinode(x);
    /* y's first block (a whole one) is now also big's first block. */
    const yoff = m.sb.ufs2 ? 112 : 40;
    new DataView(m.bytes.buffer).setInt32(m.sb.inoOffset(y) + yoff, dx.db[0], true);
    m.save();
    const p = sbin('fsck_ffs', ['-fp', img]);
    assert.equal(p.status, 8, p.out);
    const r = sbin('fsck_ffs', ['-fy', img]);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /DUP I=\d+/);
    const dev = new MemBlockDev(new Uint8Array(readFileSync(img)));
    const k = fsck(dev, {});
    assert.deepEqual(k.errors, []);
    const vol = UfsVolume.mount(dev, { readonly: true });
    const sub = vol.lookup(vol.root, 'sub'), deep = vol.lookup(sub, 'deep');
    assert.throws(() => vol.lookup(sub, 'big'));
    assert.throws(() => vol.lookup(deep, 'y'));
    const xi = vol.lookup(deep, 'x');
    assert.ok(Buffer.from(vol.read(xi, 0, 5000)).equals(FILES['sub/deep/x']));
    assert.ok(Buffer.from(vol.read(vol.lookup(vol.root, 'a.txt'), 0, 100)).equals(FILES['a.txt']));
  });

  for (const version of [1, 2] as const) {
    test(`UFS${version}: sixty unreferenced files fill lost+found past its first block, all reconnected intact`, { skip: skipQemu }, () => {
      const many = join(tmp, `many${version}`);
      mkdirSync(many, { recursive: true });
      for (let i = 0; i < 60; i++) writeFileSync(join(many, `f${i}`), pattern(100 + i, 1000 + 97 * i));
      const img = join(tmp, `many${version}.img`);
      writeFileSync(img, buildImage(many, { version, size: 8 * MIB, epoch: 1700000000 }));
      const m = new Img(img);
      const inos = new Map<number, number>();
      for (let i = 0; i < 60; i++) {
        inos.set(i, m.ino(`f${i}`));
        m.editEntry('/', `f${i}`, (blk, base, off) => chunkRemove(blk, base, off));
      }
      m.sb.raw[F.clean] = 0;
      m.bytes.set(m.sb.raw, m.sb.location);
      m.save();
      const p = sbin('fsck_ffs', ['-p', img]);
      assert.equal(p.status, 0, p.out);
      assert.match(p.out, /NO lost\+found DIRECTORY \(CREATED\)/);
      assert.equal(p.out.match(/\(RECONNECTED\)/g)?.length, 60);
      const dev = new MemBlockDev(new Uint8Array(readFileSync(img)));
      const k = fsck(dev, {});
      assert.deepEqual(k.errors, []);
      assert.ok(k.clean);
      const vol = UfsVolume.mount(dev, { readonly: true });
      const lf = vol.lookup(vol.root, 'lost+found');
      assert.ok(vol.getattr(lf).size > DIRBLKSIZ);
      for (const [i, ino] of inos) {
        const got = vol.lookup(lf, `#${ino}`);
        assert.equal(got, ino);
        assert.ok(Buffer.from(vol.read(ino, 0, 1000 + 97 * i)).equals(pattern(100 + i, 1000 + 97 * i)), `f${i}`);
      }
    });
  }

  for (const version of [1, 2] as const) {
    test(`UFS${version}: random damage to inodes, a cg and directories: -y repairs it, the kernel's checker agrees`, { skip: skipQemu }, () => {
      const base = buildImage(src, { version, size: 8 * MIB, epoch: 1700000000 });
      const sb = sbFind(new MemBlockDev(base));
      assert.ok(sb);
      let seed = 0x5eed + version;
      const rnd = (): number => {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        return seed / 4294967296;
      };
      for (let iter = 0; iter < 12; iter++) {
        const bytes = new Uint8Array(base);
        for (let k = 1 + Math.floor(rnd() * 20); k > 0; k--) {
          const r = rnd();
          const off = r < 0.5 ? sb.cgimin(0) * sb.fsize + Math.floor(rnd() * 20 * sb.dinodeSize)
            : r < 0.8 ? sb.cgtod(0) * sb.fsize + Math.floor(rnd() * sb.cgsize)
              : (sb.cgdmin(0) + Math.floor(rnd() * 60)) * sb.fsize + Math.floor(rnd() * 1024);
          bytes[off] = Math.floor(rnd() * 256);
        }
        const img = join(tmp, `fuzz${version}.img`);
        writeFileSync(img, bytes);
        const y = sbin('fsck_ffs', ['-fy', img]);
        assert.equal(y.status, 0, `round ${iter}: ${y.out}`);
        const n = sbin('fsck_ffs', ['-fn', img]);
        assert.equal(n.status, 0, `round ${iter}: ${n.out}`);
        assert.doesNotMatch(n.out, /\?/, `round ${iter}: questions after repair: ${n.out}`);
        const k = fsck(new MemBlockDev(new Uint8Array(readFileSync(img))), {});
        assert.deepEqual(k.errors, [], `round ${iter}: ${y.out}`);
        assert.ok(k.clean);
      }
    });
  }

  for (const kind of ['makefs.ts ufs1', 'makefs.ts ufs2', 'debian makefs ufs2'] as Kind[]) {
    const skip = skipQemu || (kind.startsWith('debian') && !haveHostMakefs ? 'needs /usr/sbin/makefs' : false);
    test(`${kind}: a damaged primary superblock: the backup in cylinder group 0 is used and written back`, { skip }, () => {
      const img = join(tmp, `altsb${kind.replace(/\W+/g, '_')}.img`);
      makeImage(kind, img);
      const m = new Img(img);
      m.bytes.fill(0xff, m.sb.location, m.sb.location + 1376);
      m.save();
      assert.equal(sbin('fsck_ffs', ['-p', img]).status, 8);
      const r = sbin('fsck_ffs', ['-y', img]);
      assert.equal(r.status, 0, r.out);
      assert.match(r.out, /SUPERBLOCK: BAD MAGIC NUMBER\nUSING ALTERNATE SUPERBLOCK AT \d+\n/);
      verify(img);
    });
  }

  test('an image of a labelled disk: fsck_ffs checks partition a', { skip: skipQemu }, () => {
    const img = join(tmp, 'label.img');
    writeFileSync(img, buildImage(src, { version: 1, size: 8 * MIB, epoch: 1700000000, wrap: 'label' }));
    const r = sbin('fsck_ffs', ['-f', img]);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /^9 files, /m);
  });
});

describe('fsck', () => {
  test('checks the fstab entries with a pass number, or the operands, through fsck_ffs', { skip: skipQemu }, () => {
    /* Under qemu -L the world's /etc/fstab is read; -d prints what would run. */
    const all = sbin('fsck', ['-d', '-p']);
    assert.equal(all.status, 0, all.out);
    assert.equal(all.out, 'start /sbin/fsck_ffs -p /dev/vkd0s0a\n');
    const some = sbin('fsck', ['-d', '-f', '-y', '/', join(tmp, 'x.img')]);
    assert.equal(some.out, `start /sbin/fsck_ffs -f -y /dev/vkd0s0a\nstart /sbin/fsck_ffs -f -y ${join(tmp, 'x.img')}\n`);
    assert.equal(sbin('fsck', ['-d', '-t', 'cd9660']).out, '');
    const bad = sbin('fsck', ['-z']);
    assert.equal(bad.status, 8);
    assert.match(bad.out, /usage: fsck/);
  });
});

describe('newfs', { concurrency: 2 }, () => {
  for (const args of [[], ['-O', '2'], ['-O', '1', '-b', '8192', '-f', '1024', '-i', '4096'], ['-O', '2', '-b', '32768', '-f', '4096', '-m', '5', '-L', 'scratch']]) {
    test(`newfs ${args.join(' ') || '(defaults: UFS1)'}: the kernel mounts it, uses it, and both checkers pass`, { skip: skipQemu }, () => {
      const img = join(tmp, `newfs${args.join('').replace(/\W+/g, '_')}.img`);
      writeFileSync(img, Buffer.alloc(0));
      spawnSync('truncate', ['-s', '300m', img]);
      const r = sbin('newfs', [...args, img]);
      assert.equal(r.status, 0, r.out);
      const opt = (o: string, dflt: number) => (args.includes(o) ? Number(args[args.indexOf(o) + 1]) : dflt);
      const fsize = opt('-f', 2048), bsize = opt('-b', 16384);
      assert.match(r.out, new RegExp(`: 300\\.0MB \\(614400 sectors\\) block size ${bsize}, fragment size ${fsize}\\n\\tusing (\\d+) cylinder groups of [\\d.]+MB, \\d+ blks, \\d+ inodes\\.\\nsuper-block backups \\(for fsck -b #\\) at:\\n [\\d, \\n]+$`));
      const ncg = Number(/using (\d+) cylinder groups/.exec(r.out)?.[1]);
      assert.equal(r.out.split('super-block backups')[1].match(/\d+/g)?.length, ncg);
      const bytes = new Uint8Array(readFileSync(img));
      const dev = new MemBlockDev(bytes);
      const k0 = fsck(dev, {});
      assert.deepEqual(k0.errors, []);
      assert.ok(k0.clean);
      const vol = UfsVolume.mount(dev, {});
      const st = vol.statfs();
      assert.equal(st.ufs2, args.includes('2'));
      assert.equal(st.bsize, bsize);
      assert.equal(st.volname, args.includes('-L') ? 'scratch' : '');
      const d = vol.mkdir(vol.root, 'dir', 0o755, 0, 0);
      const f = vol.create(d, 'file', 0o100644);
      vol.write(f, 0, pattern(9, 500000));
      vol.unmount();
      writeFileSync(img, bytes);
      const k1 = fsck(new MemBlockDev(bytes), {});
      assert.deepEqual(k1.errors, []);
      const c = sbin('fsck_ffs', ['-f', img]);
      assert.equal(c.status, 0, c.out);
      assert.match(c.out, /^3 files, /m);
      assert.doesNotMatch(c.out, /MODIFIED/);
    });
  }

  test('newfs -N writes nothing; bad options are refused', { skip: skipQemu }, () => {
    const img = join(tmp, 'newfs-N.img');
    writeFileSync(img, Buffer.alloc(4 * MIB));
    const r = sbin('newfs', ['-N', img]);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /block size 16384, fragment size 2048/);
    assert.ok(readFileSync(img).equals(Buffer.alloc(4 * MIB)));
    assert.equal(sbin('newfs', ['-b', '3000', img]).status, 1);
    assert.equal(sbin('newfs', ['-O', '3', img]).status, 1);
    const tiny = join(tmp, 'tiny.img');
    writeFileSync(tiny, Buffer.alloc(64 * 1024));
    const t = sbin('newfs', [tiny]);
    assert.equal(t.status, 1, t.out);
    assert.match(t.out, /too small/);
  });
});

describe('disklabel', () => {
  const rootImg = join(import.meta.dirname, '../../public/images/root.img');
  test('prints the disklabel64 of the world image (public/images/root.img)', { skip: skipQemu || (!existsSync(rootImg) && 'needs npm run buildworld') }, () => {
    const r = sbin('disklabel', [rootImg]);
    assert.equal(r.status, 0, r.out);
    const head = new Uint8Array(readFileSync(rootImg).subarray(0, 4096));
    const parts = disklabel64Parse(head, readFileSync(rootImg).length);
    assert.ok(parts && parts.length > 0);
    const a = parts[0];
    assert.match(r.out, /^diskid: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/m);
    assert.match(r.out, /^partitions data base: 0x000000100000$/m);
    assert.match(r.out, new RegExp(`^  a: +${a.size / 1024} +0 +4\\.2BSD\\t# +${(a.size / MIB).toFixed(3)}MB$`, 'm'));
    const l64 = sbin('disklabel64', [rootImg]);
    assert.equal(l64.out, r.out);
    const f = sbin('fsck_ffs', ['-n', rootImg]);
    assert.equal(f.status, 0, f.out);
  });

  test('prints a classic 32-bit label inside an MBR slice', { skip: skipQemu }, () => {
    const img = join(tmp, 'label32.img');
    writeFileSync(img, buildImage(src, { version: 1, size: 8 * MIB, epoch: 1700000000, wrap: 'mbr', label32: true }));
    const r = sbin('disklabel', [img]);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /^# slice 1 \(MBR type 0xa5\):$/m);
    assert.match(r.out, /^bytes\/sector: 512$/m);
    assert.match(r.out, /^8 partitions:$/m);
    assert.match(r.out, /^  a: +\d+ +\d+ +4\.2BSD /m);
    assert.match(r.out, /^  c: +\d+ +0 +unused/m);
    const f = sbin('fsck_ffs', ['-f', img]);
    assert.equal(f.status, 0, f.out);
  });

  test('-w writes a disklabel64 whose partition a fills the disk, -R one from a protofile; the kernel probes them', { skip: skipQemu }, () => {
    const img = join(tmp, 'wlabel.img');
    writeFileSync(img, Buffer.alloc(0));
    spawnSync('truncate', ['-s', '32m', img]);
    const w = sbin('disklabel', ['-w', img, 'mydisk']);
    assert.equal(w.status, 0, w.out);
    const probe = () => dsProbe(new MemBlockDev(new Uint8Array(readFileSync(img)))).map((p) => [p.name, p.offset, p.size, p.fstype]);
    assert.deepEqual(probe(), [['s0', 0, 32 * MIB, 0], ['s0a', MIB, 31 * MIB, 7]]);
    const r = sbin('disklabel', [img]);
    assert.match(r.out, /^label: mydisk$/m);
    assert.match(r.out, /^  a: +31744 +0 +4\.2BSD\t# +31\.000MB$/m);
    const proto = join(tmp, 'proto');
    writeFileSync(proto, 'label: two\n  a: 8192 0 4.2BSD\n  b: * 8192 swap # the rest\n');
    const R = sbin('disklabel', ['-R', img, proto]);
    assert.equal(R.status, 0, R.out);
    assert.deepEqual(probe(), [['s0', 0, 32 * MIB, 0], ['s0a', MIB, 8 * MIB, 7], ['s0b', 9 * MIB, 23 * MIB, 1]]);
    writeFileSync(proto, '  a: 99999999 0 4.2BSD\n');
    const big = sbin('disklabel', ['-R', img, proto]);
    assert.equal(big.status, 1);
    assert.match(big.out, /do not fit/);
    assert.equal(probe().length, 3, 'a refused label is not written');
  });

  test('a disk without a label: exit 4 and a message', { skip: skipQemu }, () => {
    const img = join(tmp, 'nolabel.img');
    writeFileSync(img, Buffer.alloc(MIB));
    const r = sbin('disklabel', [img]);
    assert.equal(r.status, 4);
    assert.match(r.out, /no disk label/);
  });
});

/* The world image with an /etc/rc.local of ours (and any edits of its file system), at path. */
function worldImage(path: string, rcLocal: string, edit: (vol: UfsVolume) => void = () => {}): void {
  const bytes = buildImage(ROOT, { version: 1, size: 64 * MIB, epoch: 1700000000, wrap: 'label', volname: 'vkroot' });
  const dev = dsOpen(new MemBlockDev(bytes), 's0a');
  assert.ok(dev);
  const vol = UfsVolume.mount(dev, {});
  const etc = vol.lookup(vol.root, 'etc');
  vol.write(vol.create(etc, 'rc.local', 0o100644), 0, new TextEncoder().encode(rcLocal));
  edit(vol);
  vol.unmount();
  writeFileSync(path, bytes);
}

/** Boot until re matches (then SIGKILL); the console output. */
async function bootUntil(args: string[], re: RegExp, afterMs = 0): Promise<string> {
  const vk = startVkernel(['-m', '128m', ...args], { cwd: tmp, env: { VKERNEL_QUIET: '' } });
  try {
    await vk.waitFor(re, 240000);
    if (afterMs) await new Promise((r) => setTimeout(r, afterMs));
  } finally {
    vk.child.kill('SIGKILL');
    await vk.exited;
  }
  return vk.out();
}

const ROOTRW = 'if [ -w / ]; then echo "W4: root is read-write"; else echo "W4: root is read-only"; fi\n';

/*
 * The boot tests: an rc.local starts a writer on the first boot only; the
 * kernel is killed with SIGKILL while it writes; the next boot finds the
 * root dirty, mounts it read-only, rc runs fsck -p, remounts it read-write.
 */
describe('in the guest', { concurrency: 1 }, () => {
  test('after a SIGKILL during writes the next boot runs fsck and comes up multi-user with / read-write', { skip: skipQemu, timeout: 600000 }, async () => {
    const img = join(tmp, 'boot.img');
    worldImage(img, ROOTRW +
      'if [ -f /etc/w4.first ]; then\n' +
      '\trm -f /etc/w4.first\n\tsync\n' +
      '\t(i=0; while :; do i=$((i+1)); echo $i > /var/tmp/w.$((i % 20)); mkdir -p /var/tmp/d$((i % 7)); ' +
      'echo x > /var/tmp/d$((i % 7))/f; rm -rf /var/tmp/d$(((i + 3) % 7)); done) </dev/null >/dev/null 2>&1 &\n' +
      '\techo "W4: writer started"\nfi\n',
    (vol) => { vol.create(vol.lookup(vol.root, 'etc'), 'w4.first', 0o100644); });
    const first = await bootUntil(['-r', img], /W4: writer started/, 1500);
    assert.match(first, /W4: root is read-write/);

    const out = await bootUntil(['-r', img], /login: /);
    assert.match(out, /WARNING: \/dev\/vkd0s0a was not properly dismounted, mounted read-only/);
    /* Preen may have fixed what the crash left (each fix a line of its own) before its summary. */
    assert.match(out, /Starting file system checks:\n(\/dev\/vkd0s0a: [^\n]*\n)*?\/dev\/vkd0s0a: \d+ files, \d+ used, \d+ free \(\d+ frags, \d+ blocks, [\d.]+% fragmentation\)\n/);
    assert.doesNotMatch(out, /UNEXPECTED INCONSISTENCY|Automatic file system check failed|help!/);
    assert.match(out, /W4: root is read-write/);
    assert.doesNotMatch(out, /W4: writer started/);
  });

  test('a dirty root whose inodes fsck -p fixes: rc reboots once, then the root mounts read-write', { skip: skipQemu, timeout: 600000 }, async () => {
    const img = join(tmp, 'reboot.img');
    worldImage(img, ROOTRW, (vol) => {
      const ino = vol.create(vol.lookup(vol.root, 'etc'), 'w4.victim', 0o100644);
      vol.write(ino, 0, new TextEncoder().encode('victim\n'));
    });
    /* Break the victim's link count and leave the file system dirty, as a crash would. */
    const bytes = new Uint8Array(readFileSync(img));
    const dev = dsOpen(new MemBlockDev(bytes), 's0a');
    assert.ok(dev);
    const sb = sbFind(dev);
    assert.ok(sb);
    const vol = UfsVolume.mount(dev, { readonly: true });
    const at = sb.inoOffset(vol.lookup(vol.lookup(vol.root, 'etc'), 'w4.victim'));
    const frag = new Uint8Array(sb.fsize);
    const base = Math.floor(at / sb.fsize) * sb.fsize;
    dev.read(base, frag);
    new DataView(frag.buffer).setInt16(at - base + 2, 3, true);
    dev.write(base, frag);
    sb.raw[F.clean] = 0;
    dev.write(sb.location, sb.raw);
    writeFileSync(img, bytes);

    const out = await bootUntil(['-r', img], /login: /);
    assert.match(out, /mounted read-only/);
    assert.match(out, /\/dev\/vkd0s0a: LINK COUNT FILE +I=\d+ [^\n]*\n\/dev\/vkd0s0a: SIZE=7 [^\n]* COUNT 3 SHOULD BE 1 \(ADJUSTED\)/);
    assert.match(out, /Reboot after fsck\.[\s\S]*Rebooting[\s\S]*Mounting root from ufs:vkd0s0a/);
    const second = out.slice(out.lastIndexOf('Mounting root from'));
    assert.doesNotMatch(second, /mounted read-only|Starting file system checks/);
    assert.match(second, /W4: root is read-write/);
    const after = dsOpen(new MemBlockDev(new Uint8Array(readFileSync(img))), 's0a');
    assert.ok(after);
    assert.deepEqual(fsck(after, {}).errors, []);
  });

  test('what preen may not fix stops the boot in single user; fsck -y there, then reboot, and the system comes up', { skip: skipQemu, timeout: 600000 }, async () => {
    const img = join(tmp, 'single.img');
    worldImage(img, ROOTRW, (vol) => {
      vol.write(vol.create(vol.lookup(vol.root, 'etc'), 'w4.victim', 0o100644), 0, new TextEncoder().encode('victim\n'));
    });
    /* /etc/w4.victim now names a free inode, and the file system is dirty. */
    const bytes = new Uint8Array(readFileSync(img));
    const dev = dsOpen(new MemBlockDev(bytes), 's0a');
    assert.ok(dev);
    const sb = sbFind(dev);
    assert.ok(sb);
    const vol = UfsVolume.mount(dev, { readonly: true });
    const etc = vol.lookup(vol.root, 'etc');
    const dip = (() => {
      const b = new Uint8Array(sb.dinodeSize);
      dev.read(sb.inoOffset(etc), b);
      return dinodeDecode(b, sb.ufs2, sb.maxsymlinklen);
    })();
    let patched = false;
    for (let lbn = 0; lbn * sb.bsize < dip.size && !patched; lbn++) {
      const len = Math.min(sb.bsize, dip.size - lbn * sb.bsize);
      const blk = new Uint8Array(len);
      dev.read(dip.db[lbn] * sb.fsize, blk);
      for (let off = 0; off < len && !patched;) {
        const r = readRec(blk, off);
        if (r.ino !== 0 && r.name === 'w4.victim') {
          new DataView(blk.buffer).setUint32(off, sb.ipg - 1, true);
          dev.write(dip.db[lbn] * sb.fsize, blk);
          patched = true;
        }
        off += r.reclen;
      }
    }
    assert.ok(patched);
    sb.raw[F.clean] = 0;
    dev.write(sb.location, sb.raw);
    writeFileSync(img, bytes);

    const vk = startVkernel(['-m', '128m', '-r', img], { cwd: tmp, env: { VKERNEL_QUIET: '' } });
    try {
      await vk.waitFor(/going to single user mode[\s\S]*# $/, 240000);
      const out = vk.out();
      assert.match(out, /\/dev\/vkd0s0a: UNALLOCATED +I=\d+ [^\n]*\n[^\n]*\n\/dev\/vkd0s0a: FILE=\/etc\/w4\.victim\n\n\/dev\/vkd0s0a: UNEXPECTED INCONSISTENCY; RUN fsck MANUALLY\.\nAutomatic file system check failed; help!\n/);
      vk.child.stdin?.write('fsck -y\n');
      await vk.waitFor(/REBOOT NOW[\s\S]*# $/, 240000);
      const fix = vk.out().slice(out.length);
      assert.match(fix, /\*\* \/dev\/vkd0s0a\n\*\* Last Mounted on \n\*\* Root file system\n\*\* Phase 1 - Check Blocks and Sizes\n/);
      assert.match(fix, /UNALLOCATED +I=\d+[\s\S]*REMOVE\? yes[\s\S]*UNREF FILE +I=\d+[\s\S]*RECONNECT\? yes[\s\S]*\*\*\*\*\* FILE SYSTEM WAS MODIFIED \*\*\*\*\*\n\n\*\*\*\*\* REBOOT NOW \*\*\*\*\*\n/);
      vk.child.stdin?.write('reboot\n');
      await vk.waitFor(/Rebooting[\s\S]*login: /, 240000);
      const again = vk.out().slice(vk.out().lastIndexOf('Mounting root from'));
      assert.doesNotMatch(again, /mounted read-only|Starting file system checks/);
      assert.match(again, /W4: root is read-write/);
    } finally {
      vk.child.kill('SIGKILL');
      await vk.exited;
    }
    const after = dsOpen(new MemBlockDev(new Uint8Array(readFileSync(img))), 's0a');
    assert.ok(after);
    assert.deepEqual(fsck(after, {}).errors, []);
  });

  test('newfs, mount, fsck and disklabel on a second, empty disk (vkd1, no label)', { skip: skipQemu, timeout: 600000 }, async () => {
    const img = join(tmp, 'guest.img');
    const disk = join(tmp, 'empty.img');
    worldImage(img, 'echo "W4: begin"\n' +
      'newfs /dev/vkd1; echo "W4: newfs $?"\n' +
      'mkdir -p /mnt && mount -t ufs /dev/vkd1 /mnt; echo "W4: mount $?"\n' +
      'echo guest-data > /mnt/x && mkdir /mnt/d && cat /mnt/x\n' +
      'umount /mnt; echo "W4: umount $?"\n' +
      'fsck -f /dev/vkd1; echo "W4: fsck $?"\n' +
      'disklabel vkd0; echo "W4: disklabel $?"\n' +
      'fsck -n /; echo "W4: fsck-n-root $?"\n' +
      'newfs /dev/vkd0s0a; echo "W4: newfs-root $?"\n' +
      'newfs -O 2 /dev/vkd2s0a >/dev/null && mount /dev/vkd2s0a /mnt && echo on-s0a > /mnt/y && umount /mnt; echo "W4: s0a $?"\n' +
      'echo "W4: end"\n');
    writeFileSync(disk, Buffer.alloc(0));
    spawnSync('truncate', ['-s', '32m', disk]);
    const labelled = join(tmp, 'labelled.img');
    writeFileSync(labelled, Buffer.alloc(0));
    spawnSync('truncate', ['-s', '16m', labelled]);
    assert.equal(sbin('disklabel', ['-w', labelled]).status, 0);
    const out = await bootUntil(['-r', img, '-r', disk, '-r', labelled], /W4: end/);
    assert.match(out, /\/dev\/vkd1: 32\.0MB \(65536 sectors\) block size 16384, fragment size 2048\n/);
    assert.match(out, /W4: newfs 0\nW4: mount 0\nguest-data\nW4: umount 0\n\*\* \/dev\/vkd1\n[\s\S]*\*\* Phase 5 - Check Cyl groups\n3 files, [^\n]*\nW4: fsck 0\n/);
    assert.match(out, /\n  a: +65536 +0 +4\.2BSD\t#[^\n]*\n[\s\S]*W4: disklabel 0\n/);
    assert.match(out, /\*\* \/dev\/vkd0s0a \(NO WRITE\)\n[\s\S]*\*\* Root file system\n/);
    /* The host sees what the guest wrote. */
    const dev = new MemBlockDev(new Uint8Array(readFileSync(disk)));
    const k = fsck(dev, {});
    assert.deepEqual(k.errors, []);
    assert.ok(k.clean);
    const vol = UfsVolume.mount(dev, { readonly: true });
    assert.equal(Buffer.from(vol.read(vol.lookup(vol.root, 'x'), 0, 100)).toString(), 'guest-data\n');
    assert.match(out, /W4: s0a 0\n/);
    assert.match(out, /newfs: \/dev\/vkd0s0a is mounted on \/\nW4: newfs-root 1\n/);
    const part = dsOpen(new MemBlockDev(new Uint8Array(readFileSync(labelled))), 's0a');
    assert.ok(part);
    assert.deepEqual(fsck(part, {}).errors, []);
    const pv = UfsVolume.mount(part, { readonly: true });
    assert.ok(pv.sb.ufs2);
    assert.equal(Buffer.from(pv.read(pv.lookup(pv.root, 'y'), 0, 100)).toString(), 'on-s0a\n');
  });
});
