/*
 * ddb's show command (BSD's db_show_*): registers, proc, map, mounts,
 * sysctl, kenv, breaks, msgbuf, all procs.
 */
import { PState } from '../kern/proc.ts';
import { procMaps } from '../vm/vm_maps.ts';
import { mountsText } from '../fs/procfs/procfs_sys.ts';
import { cttyOf } from '../kern/kern_kinfo.ts';
import type { SysctlOid } from '../kern/kern_sysctl.ts';
import { XREG } from './db_disasm.ts';
import type { Ddb } from './db_main.ts';
import { dbPs, tdStateName } from './db_ps.ts';
import { dbSymbol } from './db_sym.ts';
import { DbError, pidArg } from './db_command.ts';
import { fileName } from '../vfs/vfs_filename.ts';
import { vnodePath } from '../vfs/vfs_getcwd.ts';
import type { Vnode } from '../vfs/vnode.ts';

const VTYPE = ['VNON', 'VREG', 'VDIR', 'VBLK', 'VCHR', 'VLNK', 'VSOCK', 'VFIFO'];

const hex16 = (v: bigint | number): string => `0x${BigInt.asUintN(64, BigInt(v)).toString(16).padStart(16, '0')}`;

function showRegisters(db: Ddb): void {
  const td = db.td;
  if (!td) throw new DbError('No thread selected');
  const vm = td.proc.vm;
  db.println(`pc      ${hex16(td.ctx.pc)}  ${dbSymbol(vm, td.ctx.pc)}`);
  for (let r = 1; r < 32; r++) {
    const v = td.ctx.getX(r);
    const u = Number(BigInt.asUintN(64, v));
    db.println(`${XREG[r].padEnd(7)} ${hex16(v)}  ${u < 2 ** 32 ? dbSymbol(vm, u) : ''}`.trimEnd());
  }
  db.println(`fcsr    0x${td.ctx.fcsr.toString(16)}`);
}

function procArg(db: Ddb, args: string): import('../kern/proc.ts').Proc {
  const p = args.trim() ? db.k.procs.procs.get(pidArg(db, args)) : db.td?.proc;
  if (!p) throw new DbError(args.trim() ? `No such process: ${args.trim()}` : 'No process selected');
  return p;
}

function showProc(db: Ddb, args: string): void {
  const p = procArg(db, args);
  const c = p.cred;
  const tty = cttyOf(p);
  db.println(`Process ${p.pid} (${p.comm}) ppid ${p.ppid} pgrp ${p.pgrp?.pgid ?? 0} session ${p.pgrp?.session.sid ?? 0}` +
    `${tty ? ` tty ${tty.name}` : ''}`);
  db.println(` uid ${c.uid} euid ${c.euid} gid ${c.gid} egid ${c.egid}  ${p.state === PState.ZOMBIE ? `zombie, status 0x${p.exitStatus.toString(16)}` : p.stopped ? 'stopped' : 'active'}`);
  db.println(` exe ${p.exePath || '-'}  argv ${JSON.stringify(p.argv)}`);
  if (p.state !== PState.ZOMBIE && !p.vm.destroyed) {
    db.println(` vmspace: ${Math.round(p.vm.virtualSize / 1024)}K mapped, ${p.vm.rss} pages resident, root table frame ${p.vm.rootPpn}`);
  }
  db.println(` cpu: user ${p.utimeMs.toFixed(1)} ms, system ${p.stimeMs.toFixed(1)} ms`);
  for (const td of p.threads) {
    db.println(` thread ${td.tid}: ${tdStateName(td)}, pc 0x${td.ctx.pc.toString(16)}, ${td.instret} instructions`);
  }
}

function showMap(db: Ddb, args: string): void {
  const p = procArg(db, args);
  if (p.state === PState.ZOMBIE || p.vm.destroyed) throw new DbError('No address space (zombie)');
  for (const l of procMaps(p.vm).split('\n')) if (l) db.println(l);
}

function formatOid(db: Ddb, o: SysctlOid): string {
  try {
    const v = o.leaf ? o.leaf.get(null) : null;
    if (v === null) return `${o.fullName()}: (${o.fmt})`;
    if (v instanceof Uint8Array) return `${o.fullName()}: ${formatStruct(o.fmt, v)}`;
    return `${o.fullName()}: ${String(v).replace(/\n$/, '')}`;
  } catch (e) {
    return `${o.fullName()}: (error ${e instanceof Error ? e.message : String(e)})`;
  }
}

/** The structs sysctl(8) knows how to print, the way it prints them. */
function formatStruct(fmt: string, b: Uint8Array): string {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (fmt === 'S,timeval' && b.length >= 16) {
    return `{ sec = ${dv.getBigInt64(0, true)}, usec = ${dv.getBigInt64(8, true)} }`;
  }
  if (fmt === 'S,loadavg' && b.length >= 24) {
    const scale = Number(dv.getBigInt64(16, true));
    return `{ ${[0, 4, 8].map((o) => (dv.getUint32(o, true) / scale).toFixed(2)).join(' ')} }`;
  }
  if (fmt === 'LU' || fmt === 'L') {
    return Array.from({ length: b.length / 8 }, (_, i) => String(dv.getBigInt64(i * 8, true))).join(' ');
  }
  return `(${fmt}, ${b.length} bytes)`;
}

function showSysctl(db: Ddb, args: string): void {
  const name = args.trim();
  const s = db.k.sysctl;
  const oids = s.all().filter((o) => name === '' || o.fullName() === name || o.fullName().startsWith(`${name}.`));
  if (oids.length === 0) throw new DbError(`unknown oid '${name}'`);
  for (const o of oids) {
    if (o.fullName() === 'kern.msgbuf') db.println('kern.msgbuf: (see show msgbuf)');
    else db.println(formatOid(db, o));
  }
}

function vnodeLine(what: string, vp: Vnode, name: string): string {
  return `${what.padEnd(6)} ${(VTYPE[vp.type] ?? String(vp.type)).padEnd(6)} use ${String(vp.usecount).padStart(3)}  ` +
    `${vp.mount.fsType.padEnd(7)} ${name}`;
}

/** The vnodes a process holds: cwd, root and each descriptor's. */
function showVnode(db: Ddb, args: string): void {
  const p = procArg(db, args);
  if (p.state === PState.ZOMBIE) throw new DbError('Zombie: no files');
  const path = (vp: Vnode): string => {
    try { return vnodePath(vp, p.root); } catch { return '?'; }
  };
  db.println(vnodeLine('cwd', p.cwd, path(p.cwd)));
  db.println(vnodeLine('root', p.root, path(p.root)));
  for (const [fd, fp] of p.fd.entries()) {
    if (fp.vnode) db.println(vnodeLine(`fd ${fd}`, fp.vnode, fileName(fp, p.root)));
    else db.println(`${`fd ${fd}`.padEnd(6)} (no vnode) ${fileName(fp, p.root)}`);
  }
}

const SHOW: Record<string, (db: Ddb, args: string) => void> = {
  vnode: showVnode,
  registers: showRegisters,
  reg: showRegisters,
  proc: showProc,
  map: showMap,
  mounts: (db) => { for (const l of mountsText(db.k.mounts.rootVnode()).split('\n')) if (l) db.println(l); },
  mount: (db) => SHOW.mounts(db, ''),
  sysctl: showSysctl,
  kenv: (db) => { for (const [k, v] of db.k.kenv) db.println(`${k}="${v}"`); },
  breaks: (db) => {
    if (db.bps.list.length === 0) db.println('No breakpoints set');
    for (const b of db.bps.list) db.println(`#${b.n}  pid ${b.pid}  0x${b.va.toString(16)}  ${dbSymbol(b.vm, b.va)}`);
  },
  msgbuf: (db) => db.print(db.k.kp.msgbuf.contents()),
};

export function dbShow(db: Ddb, _mods: string, args: string): void {
  const m = /^\s*(\S+)\s*(.*)$/.exec(args);
  if (!m) throw new DbError(`show what? ${Object.keys(SHOW).join(' ')} all procs`);
  if (m[1] === 'all') {
    if (!/^procs?\b/.test(m[2])) throw new DbError('show all procs');
    for (const l of dbPs(db.k, db.td)) db.println(l);
    return;
  }
  const f = SHOW[m[1]];
  if (!f) throw new DbError(`show what? ${Object.keys(SHOW).join(' ')} all procs`);
  f(db, m[2]);
}
