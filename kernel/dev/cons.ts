/*
 * The console and /dev/tty. The console is a Tty whose output goes to the
 * platform's terminal; the Kernel feeds typed bytes to consoleTty.input().
 * Opening a terminal without O_NOCTTY makes it the controlling terminal of
 * a session leader that has none (Linux does; the console too, so a program
 * run as pid 1 gets job control). getty's login_tty can still take the
 * console from init's session (see Tty TIOCSCTTY). /dev/tty is the caller's
 * controlling terminal.
 */
import { ENXIO, SysError } from '../kern/errno.ts';
import { Tty, TtyFile } from '../kern/tty.ts';
import type { ConsoleDevice } from '../platform.ts';
import { O_NOCTTY } from '../vfs/file.ts';
import type { IoCtx } from '../vfs/ioctx.ts';
import { falloc } from '../vfs/vfs_vnops.ts';
import { cdevRegister, DEV_CONSOLE, DEV_TTY, type Cdev } from './cdev.ts';

/** Make tty the caller's controlling terminal if POSIX says opening does that. */
export function ttyOpenCtty(tty: Tty, flags: number, io: IoCtx): void {
  if ((flags & O_NOCTTY) !== 0) return;
  const s = io.session;
  if (s.sid !== io.pid || s.ttyp !== null || tty.session !== null) return;
  tty.setCtty(s, io.pgid);
}

export function ttyCdev(tty: Tty, rdev: number, autoCtty = true): Cdev {
  return {
    name: tty.name,
    open(vp, flags, io) {
      if (autoCtty) ttyOpenCtty(tty, flags, io);
      return falloc(new TtyFile(tty, rdev), vp, flags);
    },
  };
}

const devTty: Cdev = {
  name: 'tty',
  open(vp, flags, io) {
    const t = io.session.ttyp;
    if (!(t instanceof Tty)) throw new SysError(ENXIO);
    return falloc(new TtyFile(t, DEV_TTY), vp, flags);
  },
};

/**
 * Create the console tty over the platform's terminal and register
 * /dev/console and /dev/tty. uptime feeds VTIME's inter-byte timer.
 */
export function consInit(con: ConsoleDevice, uptime: () => number): Tty {
  const tty = new Tty('console', (b) => con.write(b), uptime);
  const sz = con.size?.();
  if (sz) tty.winsize = { row: sz.rows, col: sz.cols, xpixel: 0, ypixel: 0 };
  cdevRegister(DEV_CONSOLE, ttyCdev(tty, DEV_CONSOLE));
  cdevRegister(DEV_TTY, devTty);
  return tty;
}
