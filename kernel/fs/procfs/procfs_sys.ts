/*
 * The system-wide files of procfs, in Linux's formats.
 */
import { getSystemMounts } from '../../vfs/vfs_mount.ts';
import { vnodePath } from '../../vfs/vfs_getcwd.ts';
import { vfsTypeNames } from '../../vfs/vfs_conf.ts';
import { curproc } from '../../vfs/vfs_curproc.ts';
import { ST_RDONLY } from '../../vfs/vfs_mount.ts';
import type { Vnode } from '../../vfs/vnode.ts';
import { PfsFile, type PfsNode } from './procfs_vnops.ts';
import { procfsHooks, type ProcfsMount } from './procfs_vfsops.ts';
import { procNetDir } from './procfs_net.ts';

/** "from path type options 0 0" per mount, paths as seen from root. */
export function mountsText(root: Vnode): string {
  const t = getSystemMounts();
  if (!t) return '';
  let out = '';
  for (const mp of t.mounts) {
    let path = '/';
    if (mp.coveredVnode) {
      try {
        path = vnodePath(mp.coveredVnode, root);
      } catch {
        continue;
      }
    }
    out += `${mp.from} ${path} ${mp.fsType} ${mp.flags & ST_RDONLY ? 'ro' : 'rw'} 0 0\n`;
  }
  return out;
}

function meminfo(): string {
  const m = procfsHooks.memory();
  const kb = (pages: number) => `${String(pages * 4).padStart(8)} kB`;
  if (!m) return '';
  return [
    `MemTotal:       ${kb(m.total)}`, `MemFree:        ${kb(m.free)}`, `MemAvailable:   ${kb(m.free)}`,
    `Buffers:        ${kb(0)}`, `Cached:         ${kb(0)}`, `SwapTotal:      ${kb(0)}`,
    `SwapFree:       ${kb(0)}`, '',
  ].join('\n');
}

function cpuinfo(): string {
  let out = '';
  for (let i = 0; i < procfsHooks.ncpus(); i++) {
    out += `processor\t: ${i}\nhart\t\t: ${i}\nisa\t\t: rv64imafdc_zicsr_zifencei\nmmu\t\t: sv39\nuarch\t\t: vkernel\n\n`;
  }
  return out;
}

function loadavg(): string {
  const procs = procfsHooks.procs();
  let last = 0;
  for (const pid of procs.keys()) last = Math.max(last, pid);
  return `0.00 0.00 0.00 1/${procs.size} ${last}\n`;
}

export function sysEntries(mp: ProcfsMount): Map<string, () => PfsNode> {
  const f = (gen: () => string) => () => new PfsFile(mp, gen);
  const m = new Map<string, () => PfsNode>();
  m.set('mounts', f(() => mountsText(curproc()?.root ?? getSystemMounts()?.rootVnode() ?? mp.root())));
  m.set('meminfo', f(meminfo));
  m.set('cpuinfo', f(cpuinfo));
  m.set('uptime', f(() => {
    const s = procfsHooks.uptimeMs() / 1000;
    return `${s.toFixed(2)} ${(s * procfsHooks.ncpus()).toFixed(2)}\n`;
  }));
  m.set('loadavg', f(loadavg));
  m.set('net', () => procNetDir(mp));
  m.set('version', f(() => `${procfsHooks.version()}\n`));
  m.set('filesystems', f(() => vfsTypeNames().map((n) => (n === 'hostfs' ? `\t${n}` : `nodev\t${n}`)).join('\n') + '\n'));
  return m;
}
