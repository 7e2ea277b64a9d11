/* The kernel's name and version (BSD's vers.c): uname's version, kern.ostype/osrelease/version. */
export const OSTYPE = 'DragonFly';
export const OSRELEASE = '6.4-RELEASE';
/* DragonFly's __DragonFly_version for 6.4 and BSD's historic kern.osrevision. */
export const OSRELDATE = 600400;
export const OSREVISION = 199506;
export const VERSION = `${OSTYPE} v6.4.0-vkernel #0: vkernel playground (riscv64 Linux ABI)`;
