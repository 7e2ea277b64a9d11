/*
 * The path of a directory vnode (getcwd, /proc/self/cwd): climb '..' to the
 * process root and at each level find the entry in the parent that leads
 * back down (by inode number, confirmed by lookup so mount points work).
 */
import { ENOENT, SysError } from '../kern/errno.ts';
import { vcrossdown, type Vnode } from './vnode.ts';

const MAX_DEPTH = 2048;

function parentOf(vp: Vnode): Vnode {
  while (vp === vp.mount.root() && vp.mount.coveredVnode) vp = vp.mount.coveredVnode;
  return vp.lookup('..');
}

/** The name of child in dir, or null. */
function nameIn(dir: Vnode, child: Vnode): string | null {
  const ino = child.getattr().ino;
  const covered = child === child.mount.root() ? child.mount.coveredVnode : null;
  for (let cookie = 0; ;) {
    const ents = dir.readdir(cookie, 256);
    if (ents.length === 0) return null;
    for (const e of ents) {
      if (e.name === '.' || e.name === '..') continue;
      if (covered === null && e.ino !== ino) continue;
      try {
        if (vcrossdown(dir.lookup(e.name)) === child) return e.name;
      } catch {
        /* raced away; keep looking */
      }
    }
    cookie = ents[ents.length - 1].cookie;
  }
}

/** Absolute path of directory vp seen from root (a byte string); ENOENT if unreachable. */
export function vnodePath(vp: Vnode, root: Vnode): string {
  const parts: string[] = [];
  vp = vcrossdown(vp);
  root = vcrossdown(root);
  for (let depth = 0; vp !== root; depth++) {
    if (depth > MAX_DEPTH) throw new SysError(ENOENT);
    const parent = vcrossdown(parentOf(vp));
    if (parent === vp) throw new SysError(ENOENT);
    const name = nameIn(parent, vp);
    if (name === null) throw new SysError(ENOENT);
    parts.push(name);
    vp = parent;
  }
  return '/' + parts.reverse().join('/');
}
