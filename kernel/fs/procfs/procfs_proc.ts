/*
 * The per-process part of procfs: /proc/<pid>/... in the Linux formats that
 * glibc (pthread_getattr_np reads maps), ps and top parse.
 */
import { ENOENT, SysError } from '../../kern/errno.ts';
import { PState, TdState, type Proc } from '../../kern/proc.ts';
import { RF_HEAP, RF_STACK } from '../../vm/vm_region.ts';
import { curproc } from '../../vfs/vfs_curproc.ts';
import { fileName } from '../../vfs/vfs_filename.ts';
import { vnodePath } from '../../vfs/vfs_getcwd.ts';
import type { Vnode } from '../../vfs/vnode.ts';
import { mountsText } from './procfs_sys.ts';
import { PfsDir, PfsFile, PfsLink, type PfsNode } from './procfs_vnops.ts';
import type { ProcfsMount } from './procfs_vfsops.ts';

type Entries = Map<string, () => PfsNode>;

/** Paths are shown from the reader's root (chroot), as Linux does. */
function readerRoot(p: Proc): Vnode {
  return (curproc() ?? p).root;
}

function alive(p: Proc): boolean {
  return p.state !== PState.ZOMBIE;
}

export function procDirEntries(mp: ProcfsMount, p: Proc): Entries {
  const m: Entries = new Map();
  const uid = p.cred.uid, gid = p.cred.gid;
  const file = (gen: () => string, mode = 0o444) => () => new PfsFile(mp, gen, mode, uid, gid);
  const link = (target: () => string) => () => new PfsLink(mp, target, uid, gid);
  m.set('cmdline', file(() => (p.argv.length ? p.argv.join('\0') + '\0' : '')));
  m.set('comm', file(() => `${p.comm}\n`));
  m.set('stat', file(() => statLine(p)));
  m.set('status', file(() => statusText(p)));
  m.set('mounts', file(() => mountsText(readerRoot(p))));
  m.set('environ', file(() => '', 0o400));
  if (!alive(p)) return m;
  m.set('maps', file(() => mapsText(p)));
  m.set('exe', link(() => {
    if (!p.exePath) throw new SysError(ENOENT);
    return p.exePath;
  }));
  m.set('cwd', link(() => vnodePath(p.cwd, readerRoot(p))));
  m.set('root', link(() => vnodePath(p.root, readerRoot(p))));
  m.set('fd', () => new PfsDir(mp, null, () => fdEntries(mp, p), 0o500, uid, gid));
  return m;
}

function fdEntries(mp: ProcfsMount, p: Proc): Entries {
  const m: Entries = new Map();
  if (!alive(p) || !p.fd) return m;
  for (const [fd, fp] of p.fd.entries()) {
    m.set(String(fd), () => new PfsLink(mp, () => fileName(fp, readerRoot(p)), p.cred.uid, p.cred.gid));
  }
  return m;
}

function stateLetter(p: Proc): string {
  if (p.state === PState.ZOMBIE) return 'Z';
  if (p.stopped) return 'T';
  return p.threads.some((t) => t.state === TdState.RUN) ? 'R' : 'S';
}

/** The controlling tty as Linux's tty_nr and its foreground group (tpgid). */
function ttyOf(p: Proc): [number, number] {
  const t = p.pgrp?.session.ttyp as { pgid?: number } | null | undefined;
  return t ? [0x501, t.pgid ?? -1] : [0, -1];
}

/* Clock ticks (USER_HZ = 100, AT_CLKTCK) from milliseconds. */
const ticks = (ms: number) => Math.floor(ms / 10);

function statLine(p: Proc): string {
  const [ttyNr, tpgid] = ttyOf(p);
  const vm = alive(p) ? p.vm : null;
  const f = [
    p.pid, `(${p.comm})`, stateLetter(p), p.ppid, p.pgrp?.pgid ?? 0, p.pgrp?.session.sid ?? 0, ttyNr,
    tpgid, 0, 0, 0, 0, 0, ticks(p.utimeMs), ticks(p.stimeMs), ticks(p.cutimeMs), ticks(p.cstimeMs),
    20, 0, p.liveThreads().length, 0, ticks(p.startMs), vm ? vm.virtualSize : 0, vm ? vm.rss : 0,
  ];
  while (f.length < 52) f.push(0);
  return f.join(' ') + '\n';
}

function statusText(p: Proc): string {
  const c = p.cred;
  const vm = alive(p) ? p.vm : null;
  const names: Record<string, string> = { R: 'R (running)', S: 'S (sleeping)', T: 'T (stopped)', Z: 'Z (zombie)' };
  return [
    `Name:\t${p.comm}`, `Umask:\t${p.umask.toString(8).padStart(4, '0')}`, `State:\t${names[stateLetter(p)]}`,
    `Tgid:\t${p.pid}`, `Pid:\t${p.pid}`, `PPid:\t${p.ppid}`,
    `Uid:\t${c.uid}\t${c.euid}\t${c.suid}\t${c.euid}`, `Gid:\t${c.gid}\t${c.egid}\t${c.sgid}\t${c.egid}`,
    `Groups:\t${c.groups.join(' ')}`,
    `VmSize:\t${vm ? Math.floor(vm.virtualSize / 1024) : 0} kB`, `VmRSS:\t${vm ? vm.rss * 4 : 0} kB`,
    `Threads:\t${p.liveThreads().length}`, '',
  ].join('\n');
}

function hex(n: number, w = 8): string {
  return n.toString(16).padStart(w, '0');
}

function mapsText(p: Proc): string {
  let out = '';
  for (const r of p.vm.regions) {
    const perms = (r.prot & 1 ? 'r' : '-') + (r.prot & 2 ? 'w' : '-') + (r.prot & 4 ? 'x' : '-') +
      (r.shared ? 's' : 'p');
    const name = r.flags & RF_STACK ? '[stack]' : r.flags & RF_HEAP ? '[heap]' : r.name;
    const off = r.object ? r.pgoff * 4096 : 0;
    const head = `${hex(r.start)}-${hex(r.end)} ${perms} ${hex(off)} 00:00 0`;
    out += name ? `${head.padEnd(73)}${name}\n` : `${head}\n`;
  }
  return out;
}
