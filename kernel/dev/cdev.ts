/*
 * Character devices (BSD's cdevsw): a device node's rdev picks the driver,
 * whose open() makes the File the caller gets. Device numbers use Linux's
 * dev_t encoding and Linux's major/minor numbers, since that is what
 * programs see in st_rdev.
 */
import type { File } from '../vfs/file.ts';
import type { IoCtx } from '../vfs/ioctx.ts';
import type { Vnode } from '../vfs/vnode.ts';

export interface Cdev {
  readonly name: string;
  /**
   * Open the device. Usually a new File over vp (use falloc, which takes the
   * vnode reference); /dev/tty and /dev/fd/N hand back an existing one.
   */
  open(vp: Vnode, flags: number, io: IoCtx): File;
}

/** Linux's dev_t encoding (new_encode_dev). */
export function makedev(major: number, minor: number): number {
  return ((minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12)) >>> 0;
}

export function major(dev: number): number {
  return (dev >>> 8) & 0xfff;
}

export function minor(dev: number): number {
  return (dev & 0xff) | ((dev >>> 12) & 0xfff00);
}

const devs = new Map<number, Cdev>();
/* Drivers that take every minor of a major (fdesc: /dev/fd/N). */
const majors = new Map<number, Cdev>();

export function cdevRegister(rdev: number, dev: Cdev): void {
  devs.set(rdev, dev);
}

export function cdevRegisterMajor(maj: number, dev: Cdev): void {
  majors.set(maj, dev);
}

export function cdevLookup(rdev: number): Cdev | null {
  return devs.get(rdev) ?? majors.get(major(rdev)) ?? null;
}

/* Linux numbers of the devices we have. */
export const DEV_NULL = makedev(1, 3), DEV_ZERO = makedev(1, 5), DEV_FULL = makedev(1, 7),
  DEV_RANDOM = makedev(1, 8), DEV_URANDOM = makedev(1, 9), DEV_TTY = makedev(5, 0),
  DEV_CONSOLE = makedev(5, 1);
/* /dev/fd/N: minor N (a private major; Linux has no such device, BSD's fdescfs does this). */
export const FDESC_MAJOR = 253;
