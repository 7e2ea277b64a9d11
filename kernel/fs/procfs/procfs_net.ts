/*
 * /proc/net: the network stack's tables in Linux's formats, for netstat,
 * arp and route (which also run on a real Linux): dev, route, arp, tcp,
 * udp, raw, snmp.
 */
import type { Socket } from '../../kern/socketvar.ts';
import { curvnetOrNull } from '../../net/vnet_kern.ts';
import type { Vnet } from '../../net/vnet.ts';
import { RTF_UP } from '../../net/route.ts';
import { arp_procfs } from '../../netinet/if_ether.ts';
import { pcbtable, type Inpcb } from '../../netinet/in_pcb.ts';
import { ipParams } from '../../netinet/ip_output.ts';
import { PCB_RAW } from '../../netinet/raw_ip.ts';
import { intotcpcb, linuxTcpState, TCPS_CLOSE_WAIT, TCPS_ESTABLISHED, tcpParams } from '../../netinet/tcp_var.ts';
import type { ProcfsMount } from './procfs_vfsops.ts';
import { PfsDir, PfsFile, type PfsNode } from './procfs_vnops.ts';

/** An address as Linux prints a __be32 with %08X on a little-endian host. */
function hexaddr(a: number): string {
  const sw = (((a & 255) << 24) | (((a >>> 8) & 255) << 16) | (((a >>> 16) & 255) << 8) | (a >>> 24)) >>> 0;
  return sw.toString(16).toUpperCase().padStart(8, '0');
}
const hex = (n: number, w: number) => (n >>> 0).toString(16).toUpperCase().padStart(w, '0');

export function procNetDev(vn: Vnet): string {
  let s = 'Inter-|   Receive                                                |  Transmit\n';
  s += ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';
  for (const i of vn.ifnets) {
    const f = [
      [i.ibytes, 8], [i.ipackets, 7], [i.ierrors, 4], [i.iqdrops, 4], [0, 4], [0, 5], [0, 10], [i.imcasts, 9],
      [i.obytes, 8], [i.opackets, 7], [i.oerrors, 4], [0, 4], [0, 4], [i.collisions, 5], [0, 7], [0, 10],
    ];
    s += `${i.name.padStart(6)}:${f.map(([v, w]) => String(v).padStart(w)).join(' ')}\n`;
  }
  return s;
}

export function procNetRoute(vn: Vnet): string {
  let s = 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT'.padEnd(127) + '\n';
  for (const r of vn.routes.entries) {
    if (r.ifp.isLoopback() && r.connected) continue; /* Linux keeps these in the local table */
    const line = `${r.ifp.name}\t${hexaddr(r.dst)}\t${hexaddr(r.gateway)}\t${hex(r.flags | RTF_UP, 4)}\t${r.refcnt}\t${r.use}\t${r.metric}\t${hexaddr(r.mask)}\t${r.mtu}\t0\t0`;
    s += line.padEnd(127) + '\n';
  }
  return s;
}

function sockRow(sl: number, inp: Inpcb, st: number, tx: number, rx: number, so: Socket | null): string {
  const uid = so?.so_cred.uid ?? 0;
  const ino = so?.so_ino ?? 0;
  return `${String(sl).padStart(4)}: ${hexaddr(inp.laddr)}:${hex(inp.lport, 4)} ${hexaddr(inp.faddr)}:${hex(inp.fport, 4)} ${hex(st, 2)} ${hex(tx, 8)}:${hex(rx, 8)} 00:00000000 00000000 ${String(uid).padStart(5)} ${'0'.padStart(8)} ${ino}`;
}

export function procNetTcp(vn: Vnet): string {
  let s = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode'.padEnd(149) + '\n';
  let sl = 0;
  for (const inp of pcbtable(vn, 6).list) {
    const tp = intotcpcb(inp);
    if (!tp) continue;
    const so = inp.so;
    const listening = tp.state === 1;
    const tx = listening ? 0 : so?.so_snd.cc ?? 0;
    const rx = listening ? so?.so_comp.length ?? 0 : so?.so_rcv.cc ?? 0;
    s += `${sockRow(sl++, inp, linuxTcpState[tp.state], tx, rx, so)} 1 0000000000000000 100 0 0 10 0`.padEnd(149) + '\n';
  }
  return s;
}

function dgramTable(list: Inpcb[]): string {
  let s = '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops'.padEnd(127) + '\n';
  let sl = 0;
  for (const inp of list) {
    const so = inp.so;
    const st = inp.faddr ? 1 : 7;
    s += `${' '}${sockRow(sl++, inp, st, 0, so?.so_rcv.cc ?? 0, so)} 2 0000000000000000 0`.padEnd(127) + '\n';
  }
  return s;
}

const SNMP: Record<string, string[]> = {
  Ip: ['Forwarding', 'DefaultTTL', 'InReceives', 'InHdrErrors', 'InAddrErrors', 'ForwDatagrams', 'InUnknownProtos',
    'InDiscards', 'InDelivers', 'OutRequests', 'OutDiscards', 'OutNoRoutes', 'ReasmTimeout', 'ReasmReqds',
    'ReasmOKs', 'ReasmFails', 'FragOKs', 'FragFails', 'FragCreates'],
  Icmp: ['InMsgs', 'InErrors', 'InCsumErrors', 'InDestUnreachs', 'InTimeExcds', 'InParmProbs', 'InSrcQuenchs',
    'InRedirects', 'InEchos', 'InEchoReps', 'InTimestamps', 'InTimestampReps', 'InAddrMasks', 'InAddrMaskReps',
    'OutMsgs', 'OutErrors', 'OutDestUnreachs', 'OutTimeExcds', 'OutParmProbs', 'OutSrcQuenchs', 'OutRedirects',
    'OutEchos', 'OutEchoReps', 'OutTimestamps', 'OutTimestampReps', 'OutAddrMasks', 'OutAddrMaskReps'],
  Tcp: ['RtoAlgorithm', 'RtoMin', 'RtoMax', 'MaxConn', 'ActiveOpens', 'PassiveOpens', 'AttemptFails',
    'EstabResets', 'CurrEstab', 'InSegs', 'OutSegs', 'RetransSegs', 'InErrs', 'OutRsts', 'InCsumErrors'],
  Udp: ['InDatagrams', 'NoPorts', 'InErrors', 'OutDatagrams', 'RcvbufErrors', 'SndbufErrors', 'InCsumErrors',
    'IgnoredMulti', 'MemErrors'],
};

export function procNetSnmp(vn: Vnet): string {
  const fixed: Record<string, number> = {
    'Ip.Forwarding': ipParams.forwarding ? 1 : 2,
    'Ip.DefaultTTL': ipParams.defttl,
    'Tcp.RtoAlgorithm': 1,
    'Tcp.RtoMin': tcpParams.rexmtMin,
    'Tcp.RtoMax': tcpParams.rexmtMax,
    'Tcp.MaxConn': -1,
    'Tcp.CurrEstab': pcbtable(vn, 6).list.filter((p) => {
      const st = intotcpcb(p)?.state ?? 0;
      return st === TCPS_ESTABLISHED || st === TCPS_CLOSE_WAIT;
    }).length,
  };
  let s = '';
  for (const [grp, names] of Object.entries(SNMP)) {
    const g = grp.toLowerCase() as 'ip' | 'icmp' | 'tcp' | 'udp';
    const vals = names.map((n) => fixed[`${grp}.${n}`] ?? vn.getStat(g, n));
    s += `${grp}: ${names.join(' ')}\n${grp}: ${vals.join(' ')}\n`;
  }
  return s;
}

/** The /proc/net directory. */
export function procNetDir(mp: ProcfsMount): PfsNode {
  const parent = mp.root() as PfsDir;
  return new PfsDir(mp, parent, () => {
    const m = new Map<string, () => PfsNode>();
    const vn = curvnetOrNull();
    if (!vn) return m;
    const f = (gen: (v: Vnet) => string) => () => new PfsFile(mp, () => gen(vn));
    m.set('dev', f(procNetDev));
    m.set('route', f(procNetRoute));
    m.set('arp', f(arp_procfs));
    m.set('tcp', f(procNetTcp));
    m.set('udp', f((v) => dgramTable(pcbtable(v, 17).list)));
    m.set('raw', f((v) => dgramTable(pcbtable(v, PCB_RAW).list)));
    m.set('snmp', f(procNetSnmp));
    return m;
  });
}
