/*
 * A name for an open file, as /proc/<pid>/fd/N and /proc/<pid>/maps show it:
 * the path it was opened by (made absolute on demand, since that costs a
 * getcwd walk), "pipe:[ino]" for pipes, "socket:[ino]" for sockets, the device
 * path for ttys.
 */
import { DEV_CONSOLE, DEV_TTY } from '../dev/cdev.ts';
import type { File } from './file.ts';
import { vnodePath } from './vfs_getcwd.ts';
import { VDIR, VSOCK, type Vnode } from './vnode.ts';

/** The path fp was opened by, absolute as seen from root, or null if unknown. */
export function filePath(fp: File, root: Vnode): string | null {
  const o = fp.origin;
  if (!o) return null;
  if (!o.dir) return o.rel;
  try {
    const base = vnodePath(o.dir, root);
    return base === '/' ? `/${o.rel}` : `${base}/${o.rel}`;
  } catch {
    return null;
  }
}

export function fileName(fp: File, root: Vnode): string {
  const vp = fp.vnode;
  if (!vp) {
    const st = fp.ops.stat(fp);
    return st.type === VSOCK ? `socket:[${st.ino}]` : `pipe:[${st.ino}]`;
  }
  if (vp.type === VDIR) {
    try {
      return vnodePath(vp, root);
    } catch {
      return filePath(fp, root) ?? '/';
    }
  }
  const va = vp.getattr();
  if (va.rdev === DEV_CONSOLE) return '/dev/console';
  if (va.rdev === DEV_TTY) return '/dev/tty';
  return filePath(fp, root) ?? `anon_inode:[${va.ino}]`;
}
