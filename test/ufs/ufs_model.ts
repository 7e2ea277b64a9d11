/*
 * A model of a volume's tree for write workloads: every operation is applied
 * to the volume and to the model, and verify() checks that the volume (after
 * a remount, say) holds exactly what the model says.
 */
import assert from 'node:assert/strict';
import { UfsVolume, IFDIR, IFLNK, IFREG } from '../../kernel/fs/ufs/ufs_volume.ts';
import { snapshot } from './ufs_helpers.ts';

/* File contents as 64 KiB chunks (absent = zeros), so huge sparse files fit. */
const CH = 65536;
class Data {
  chunks = new Map<number, Uint8Array>();
  constructor(public size = 0) {}

  static of(bytes: Uint8Array): Data {
    const d = new Data();
    d.put(0, bytes);
    return d;
  }

  put(off: number, bytes: Uint8Array): void {
    for (let pos = off; pos < off + bytes.length;) {
      const c = Math.floor(pos / CH), o = pos % CH, n = Math.min(CH - o, off + bytes.length - pos);
      let ch = this.chunks.get(c);
      if (!ch) this.chunks.set(c, (ch = new Uint8Array(CH)));
      ch.set(bytes.subarray(pos - off, pos - off + n), o);
      pos += n;
    }
    this.size = Math.max(this.size, off + bytes.length);
  }

  truncate(size: number): void {
    for (const [c, ch] of this.chunks) {
      if (c * CH >= size) this.chunks.delete(c);
      else if ((c + 1) * CH > size) ch.fill(0, size - c * CH);
    }
    this.size = size;
  }

  /** Bytes [off, off+len) as the model has them. */
  get(off: number, len: number): Uint8Array {
    const out = new Uint8Array(Math.max(0, Math.min(len, this.size - off)));
    for (let pos = off; pos < off + out.length;) {
      const c = Math.floor(pos / CH), o = pos % CH, n = Math.min(CH - o, off + out.length - pos);
      const ch = this.chunks.get(c);
      if (ch) out.set(ch.subarray(o, o + n), pos - off);
      pos += n;
    }
    return out;
  }
}

interface Node {
  type: number;
  ino: number;
  target?: string;
}

export class Model {
  paths = new Map<string, Node>();
  data = new Map<number, Data>();

  constructor(public vol: UfsVolume) {
    for (const [p, s] of snapshot(vol)) {
      this.paths.set(p, { type: s.type, ino: s.ino, target: s.target });
      if (s.type === IFREG && !this.data.has(s.ino)) this.data.set(s.ino, Data.of(vol.read(s.ino, 0, s.size)));
    }
  }

  ino(path: string): number {
    if (path === '') return this.vol.root;
    let ino = this.vol.root;
    for (const part of path.split('/').slice(1)) ino = this.vol.lookup(ino, part);
    return ino;
  }

  split(path: string): [number, string] {
    const i = path.lastIndexOf('/');
    return [this.ino(path.slice(0, i)), path.slice(i + 1)];
  }

  write(path: string, off: number, bytes: Uint8Array): void {
    const ino = this.ino(path);
    this.vol.write(ino, off, bytes);
    (this.data.get(ino) as Data).put(off, bytes);
  }

  truncate(path: string, size: number): void {
    const ino = this.ino(path);
    this.vol.truncate(ino, size);
    (this.data.get(ino) as Data).truncate(size);
  }

  create(path: string, mode = 0o644): number {
    const [d, n] = this.split(path);
    const ino = this.vol.create(d, n, IFREG | mode);
    this.paths.set(path, { type: IFREG, ino });
    this.data.set(ino, new Data());
    return ino;
  }

  mkdir(path: string): number {
    const [d, n] = this.split(path);
    const ino = this.vol.mkdir(d, n, 0o755);
    this.paths.set(path, { type: IFDIR, ino });
    return ino;
  }

  symlink(path: string, target: string): void {
    const [d, n] = this.split(path);
    const ino = this.vol.symlink(d, n, target);
    this.paths.set(path, { type: IFLNK, ino, target });
  }

  link(existing: string, path: string): void {
    const [d, n] = this.split(path);
    const ino = this.ino(existing);
    this.vol.link(d, n, ino);
    this.paths.set(path, { type: IFREG, ino });
  }

  private forget(path: string): void {
    const node = this.paths.get(path);
    this.paths.delete(path);
    if (node && ![...this.paths.values()].some((x) => x.ino === node.ino)) this.data.delete(node.ino);
  }

  unlink(path: string): void {
    const [d, n] = this.split(path);
    this.vol.unlink(d, n);
    this.forget(path);
  }

  rmdir(path: string): void {
    const [d, n] = this.split(path);
    this.vol.rmdir(d, n);
    this.paths.delete(path);
  }

  rename(from: string, to: string): void {
    const [fd, fn] = this.split(from);
    const [td, tn] = this.split(to);
    this.vol.rename(fd, fn, td, tn);
    if (this.paths.has(to)) this.forget(to);
    for (const [p, node] of [...this.paths]) {
      if (p === from || p.startsWith(from + '/')) {
        this.paths.delete(p);
        this.paths.set(to + p.slice(from.length), node);
      }
    }
  }

  /** The volume holds exactly the model. */
  verify(vol: UfsVolume): void {
    const snap = snapshot(vol);
    assert.deepEqual([...snap.keys()].sort(), [...this.paths.keys()].sort(), 'the set of paths');
    const links = new Map<number, number>();
    for (const n of this.paths.values()) links.set(n.ino, (links.get(n.ino) ?? 0) + 1);
    for (const [p, node] of this.paths) {
      const s = snap.get(p);
      assert.ok(s);
      assert.equal(s.type, node.type, `type of ${p}`);
      assert.equal(s.ino, node.ino, `inode of ${p}`);
      if (node.type === IFLNK) assert.equal(s.target, node.target, `target of ${p}`);
      if (node.type !== IFREG) continue;
      assert.equal(s.nlink, links.get(node.ino), `nlink of ${p}`);
      const want = this.data.get(node.ino) as Data;
      assert.equal(s.size, want.size, `size of ${p}`);
      if (want.size <= 64 * CH) {
        assert.ok(Buffer.from(vol.read(s.ino, 0, s.size)).equals(want.get(0, want.size)), `bytes of ${p}`);
        continue;
      }
      /* Huge sparse file: the written chunks, and samples of the holes. */
      const offs = [...want.chunks.keys()].map((c) => c * CH);
      for (let k = 1; k < 16; k++) offs.push(Math.floor((want.size / 16) * k));
      for (const off of offs) {
        assert.ok(Buffer.from(vol.read(s.ino, off, CH)).equals(want.get(off, CH)), `bytes of ${p} at ${off}`);
      }
    }
  }
}
