/*
 * net.inet.* (and net.link.ether.inet.*) sysctl nodes: the stack's real
 * tunables and a few of its counters. Tunables are global to the kernel's
 * stack modules; counters are the booted kernel's stack's.
 */
import { EINVAL, SysError } from '../kern/errno.ts';
import type { Kernel } from '../kern/init_main.ts';
import { CTLFLAG_RD, CTLFLAG_RW, CTLTYPE_INT, CTLTYPE_UINT, type LeafSpec } from '../kern/kern_sysctl.ts';
import { vnetOf } from '../net/vnet_kern.ts';
import type { Vnet } from '../net/vnet.ts';
import { arpParams } from './if_ether.ts';
import { icmpParams } from './ip_icmp.ts';
import { ipParams } from './ip_output.ts';
import { reassParams } from './ip_reass.ts';
import { tcpParams } from './tcp_var.ts';
import { udpParams } from './udp_usrreq.ts';

const CTL_NET = 4;

function rw(descr: string, get: () => number, set: (v: number) => void, min: number, max: number): LeafSpec {
  return {
    kind: CTLTYPE_INT | CTLFLAG_RW,
    descr,
    get,
    set: (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) throw new SysError(EINVAL);
      set(n);
    },
  };
}

function counter(vn: Vnet, group: keyof Vnet['stats'], name: string, descr: string): LeafSpec {
  return { kind: CTLTYPE_UINT | CTLFLAG_RD, descr, get: () => vn.getStat(group, name) >>> 0 };
}

export function in_sysctl_init(k: Kernel): void {
  const s = k.sysctl;
  const vn = vnetOf(k);
  s.node('net', [CTL_NET]);
  s.node('net.inet', [CTL_NET, 2]);
  s.leaf('net.inet.ip.forwarding', { kind: CTLTYPE_INT | CTLFLAG_RD, descr: 'Enable IP forwarding (not supported: host only)', get: () => ipParams.forwarding });
  s.leaf('net.inet.ip.ttl', rw('Maximum TTL on IP packets', () => ipParams.defttl, (v) => (ipParams.defttl = v), 1, 255));
  s.leaf('net.inet.ip.maxfragpackets', rw('Maximum number of IPv4 fragment reassembly queue entries', () => reassParams.maxfragpackets, (v) => (reassParams.maxfragpackets = v), 0, 4096));
  s.leaf('net.inet.ip.maxfragsperpacket', rw('Maximum number of IPv4 fragments allowed per packet', () => reassParams.maxfragsperpacket, (v) => (reassParams.maxfragsperpacket = v), 1, 8192));
  s.leaf('net.inet.icmp.icmplim', rw('Maximum number of ICMP errors sent per second', () => icmpParams.icmplim, (v) => (icmpParams.icmplim = v), 0, 100000));
  s.leaf('net.inet.icmp.bmcastecho', rw('Answer echo requests sent to broadcast addresses', () => icmpParams.bmcastecho, (v) => (icmpParams.bmcastecho = v), 0, 1));
  s.leaf('net.inet.tcp.msl', rw('Maximum segment lifetime (ms); TIME_WAIT lasts twice this', () => tcpParams.msl, (v) => (tcpParams.msl = v), 100, 600000));
  s.leaf('net.inet.tcp.delayed_ack', rw('Delay ACK to try and piggyback it onto a data packet', () => (tcpParams.delack ? 1 : 0), (v) => (tcpParams.delack = v !== 0), 0, 1));
  s.leaf('net.inet.tcp.keepidle', rw('Time before keepalive probes begin (ms)', () => tcpParams.keepIdle, (v) => (tcpParams.keepIdle = v), 1000, 2 ** 31 - 1));
  s.leaf('net.inet.tcp.keepintvl', rw('Time between keepalive probes (ms)', () => tcpParams.keepIntvl, (v) => (tcpParams.keepIntvl = v), 1000, 2 ** 31 - 1));
  s.leaf('net.inet.tcp.rexmit_min', rw('Minimum retransmission timeout (ms)', () => tcpParams.rexmtMin, (v) => (tcpParams.rexmtMin = v), 10, 60000));
  s.leaf('net.inet.tcp.mssdflt', rw('Default TCP Maximum Segment Size', () => tcpParams.mssdflt, (v) => (tcpParams.mssdflt = v), 64, 65495));
  s.leaf('net.inet.udp.checksum', rw('Compute UDP checksums', () => udpParams.checksum, (v) => (udpParams.checksum = v), 0, 1));
  s.leaf('net.link.ether.inet.max_age', rw('ARP entry lifetime in seconds', () => arpParams.keepMs / 1000, (v) => (arpParams.keepMs = v * 1000), 1, 86400));
  s.leaf('net.link.ether.inet.maxtries', rw('ARP resolution attempts before the destination is held down', () => arpParams.maxtries, (v) => (arpParams.maxtries = v), 1, 100));
  s.leaf('net.inet.tcp.stats.insegs', counter(vn, 'tcp', 'InSegs', 'Segments received'));
  s.leaf('net.inet.tcp.stats.outsegs', counter(vn, 'tcp', 'OutSegs', 'Segments sent'));
  s.leaf('net.inet.tcp.stats.retranssegs', counter(vn, 'tcp', 'RetransSegs', 'Segments retransmitted'));
  s.leaf('net.inet.tcp.stats.listendrops', counter(vn, 'tcp', 'ListenOverflows', 'SYNs dropped: listen queue full'));
  s.leaf('net.inet.ip.stats.inreceives', counter(vn, 'ip', 'InReceives', 'Datagrams received'));
  s.leaf('net.inet.ip.stats.outrequests', counter(vn, 'ip', 'OutRequests', 'Datagrams sent'));
  s.leaf('net.inet.udp.stats.indatagrams', counter(vn, 'udp', 'InDatagrams', 'Datagrams received'));
  s.leaf('net.inet.udp.stats.noports', counter(vn, 'udp', 'NoPorts', 'Datagrams for no socket'));
}
