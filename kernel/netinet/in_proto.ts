/*
 * The internet domain (BSD in_proto.c): AF_INET's protocol switch, plugged
 * into the socket layer's contract (kern/uipc_domain.ts). SOCK_STREAM is
 * TCP, SOCK_DGRAM is UDP (or, with IPPROTO_ICMP, a Linux ping socket),
 * SOCK_RAW is raw IP (root only). Also the IPPROTO_IP options and the
 * interface ioctls (netinet/in_ioctl.ts).
 */
import { SysError, EINVAL, ENOPROTOOPT, ENOTCONN, EPERM, EPROTONOSUPPORT, EOPNOTSUPP } from '../kern/errno.ts';
import type { Kernel } from '../kern/init_main.ts';
import { SOCK_DGRAM, SOCK_RAW, SOCK_STREAM, SS_ISCONNECTED, soisconnected, type SoCaller, type Socket } from '../kern/socketvar.ts';
import {
  PR_ADDR, PR_ATOMIC, PR_CONNREQUIRED, PR_WANTRCVD, PR_WILDCARD, registerDomain, type Domain, type ProtoSw,
  type ProtoUsrReqs, type SockOpt,
} from '../kern/uipc_domain.ts';
import { sockaddrIn, type SockAddr } from '../kern/uipc_sockaddr.ts';
import type { IoCtx } from '../vfs/ioctx.ts';
import { curvnet, vnetOf } from '../net/vnet_kern.ts';
import type { Vnet } from '../net/vnet.ts';
import { AF_INET, IPPROTO_ICMP, IPPROTO_IP, IPPROTO_RAW, IPPROTO_TCP, IPPROTO_UDP } from './in.ts';
import { in_ioctl } from './in_ioctl.ts';
import { in_sysctl_init } from './in_sysctl.ts';
import { type Inpcb, in_pcballoc, in_pcbbind, in_pcbdetach, in_pcbdisconnect, sinOf } from './in_pcb.ts';
import { ip_srcaddr } from './ip_output.ts';
import { PCB_PING, PCB_RAW, ping_send, rip_send } from './raw_ip.ts';
import {
  sopt_int, sopt_intbytes, tcp_ctloutput, tcp_usr_abort, tcp_usr_attach, tcp_usr_connect, tcp_usr_detach,
  tcp_usr_disconnect, tcp_usr_listen, tcp_usr_peeraddr, tcp_usr_rcvd, tcp_usr_send, tcp_usr_shutdown,
} from './tcp_usrreq.ts';
import { udp_attach, udp_connect, udp_disconnect, udp_send } from './udp_usrreq.ts';

/* IPPROTO_IP option names (Linux). */
export const IP_TOS = 1;
export const IP_TTL = 2;
export const IP_HDRINCL = 3;

/** The stack a socket call works on: the caller's kernel's, else the current one. */
function vnetFor(caller: SoCaller | null): Vnet {
  return caller?.td ? vnetOf(caller.td.k) : curvnet();
}

function inpOf(so: Socket): Inpcb {
  const inp = so.so_pcb as Inpcb | null;
  if (!inp) throw new SysError(EINVAL);
  return inp;
}

function uidOf(caller: SoCaller | null): number {
  return caller ? caller.cred.euid : 0;
}

function in_sockaddr(so: Socket): SockAddr {
  const inp = so.so_pcb as Inpcb | null;
  return sockaddrIn(inp?.laddr ?? 0, inp?.lport ?? 0);
}

function in_peeraddr(so: Socket): SockAddr {
  const inp = so.so_pcb as Inpcb | null;
  if (!inp || !(so.so_state & SS_ISCONNECTED)) throw new SysError(ENOTCONN);
  return sockaddrIn(inp.faddr, inp.fport);
}

/** IPPROTO_IP options every inet socket has. */
function ip_ctloutput(so: Socket, sopt: SockOpt): Uint8Array | null {
  const inp = inpOf(so);
  const set = sopt.dir === 1;
  switch (sopt.name) {
    case IP_TTL: {
      if (!set) return sopt_intbytes(inp.ttl);
      const v = sopt_int(sopt.val);
      if (v < -1 || v > 255 || v === 0) throw new SysError(EINVAL);
      inp.ttl = v === -1 ? 64 : v;
      return null;
    }
    case IP_TOS:
      if (!set) return sopt_intbytes(inp.tos);
      inp.tos = (sopt.val.length >= 4 ? sopt_int(sopt.val) : sopt.val[0] ?? 0) & 0xff;
      return null;
    case IP_HDRINCL:
      if (so.so_type !== SOCK_RAW) throw new SysError(ENOPROTOOPT);
      if (!set) return sopt_intbytes(inp.hdrincl ? 1 : 0);
      inp.hdrincl = sopt_int(sopt.val) !== 0;
      return null;
  }
  throw new SysError(ENOPROTOOPT);
}

function control(so: Socket, cmd: number, arg: number, io: IoCtx): number {
  return in_ioctl(inpOf(so).vnet, cmd, arg, io);
}

const common = {
  sockaddr: in_sockaddr,
  peeraddr: in_peeraddr,
  control,
  accept(so: Socket): SockAddr | null {
    const inp = so.so_pcb as Inpcb | null;
    return inp ? sockaddrIn(inp.faddr, inp.fport) : null;
  },
};

export const tcp_usrreqs: ProtoUsrReqs = {
  ...common,
  attach(so, _protocol, caller) {
    tcp_usr_attach(vnetFor(caller), so);
  },
  detach: tcp_usr_detach,
  bind(so, nam, caller) {
    in_pcbbind(inpOf(so), nam, uidOf(caller));
  },
  listen(so, _backlog, caller) {
    tcp_usr_listen(so, uidOf(caller));
  },
  connect(so, nam, caller) {
    tcp_usr_connect(so, nam, uidOf(caller));
  },
  disconnect: tcp_usr_disconnect,
  shutdown(so, how) {
    if (how !== 0 /* SHUT_RD sends nothing */) tcp_usr_shutdown(so);
  },
  send(so, flags, data) {
    tcp_usr_send(so, flags, data);
  },
  rcvd: tcp_usr_rcvd,
  abort: tcp_usr_abort,
  peeraddr: tcp_usr_peeraddr,
  ctloutput(so, sopt) {
    if (sopt.level === IPPROTO_TCP) return tcp_ctloutput(so, sopt);
    if (sopt.level === IPPROTO_IP) return ip_ctloutput(so, sopt);
    throw new SysError(ENOPROTOOPT);
  },
};

/** Datagram protocols share everything but attach and send. */
function dgramUsrreqs(
  attach: (vn: Vnet, so: Socket, protocol: number, caller: SoCaller | null) => Inpcb,
  send: (inp: Inpcb, so: Socket, data: Uint8Array, addr: SockAddr | null, uid: number) => void,
): ProtoUsrReqs {
  return {
    ...common,
    attach(so, protocol, caller) {
      so.so_pcb = attach(vnetFor(caller), so, protocol, caller);
    },
    detach(so) {
      const inp = so.so_pcb as Inpcb | null;
      if (inp) in_pcbdetach(inp);
      so.so_pcb = null;
    },
    bind(so, nam, caller) {
      in_pcbbind(inpOf(so), nam, uidOf(caller));
    },
    listen() {
      throw new SysError(EOPNOTSUPP);
    },
    connect(so, nam, caller) {
      const inp = inpOf(so);
      if (so.so_type === SOCK_DGRAM && so.so_protocol !== IPPROTO_ICMP) {
        udp_connect(inp, so, nam);
        return;
      }
      const { addr } = sinOf(nam);
      if (inp.lport === 0 && so.so_type === SOCK_DGRAM) in_pcbbind(inp, null, uidOf(caller));
      inp.faddr = addr || 0x7f000001;
      if (!inp.laddr && so.so_type === SOCK_DGRAM) inp.laddr = ip_srcaddr(inp.vnet, inp.faddr, inp.device);
      soisconnected(so);
    },
    disconnect(so) {
      const inp = inpOf(so);
      if (so.so_type === SOCK_DGRAM && so.so_protocol !== IPPROTO_ICMP) udp_disconnect(inp, so);
      else {
        in_pcbdisconnect(inp);
        so.so_state &= ~SS_ISCONNECTED;
      }
    },
    shutdown() {
      /* Nothing to send: the socket layer marks the socket. */
    },
    send(so, _flags, data, addr, _control, caller) {
      send(inpOf(so), so, data, addr, uidOf(caller));
    },
    abort(so) {
      const inp = so.so_pcb as Inpcb | null;
      if (inp) in_pcbdetach(inp);
    },
    ctloutput(so, sopt) {
      if (sopt.level === IPPROTO_IP) return ip_ctloutput(so, sopt);
      throw new SysError(ENOPROTOOPT);
    },
  };
}

export const udp_usrreqs = dgramUsrreqs((vn, so) => udp_attach(vn, so), udp_send);
export const ping_usrreqs = dgramUsrreqs((vn, so) => in_pcballoc(vn, so, PCB_PING), ping_send);
export const rip_usrreqs = dgramUsrreqs((vn, so, protocol, caller) => {
  if (caller && caller.cred.euid !== 0) throw new SysError(EPERM);
  if (protocol <= 0 || protocol > 255) throw new SysError(EPROTONOSUPPORT);
  const inp = in_pcballoc(vn, so, PCB_RAW);
  inp.hdrincl = protocol === IPPROTO_RAW;
  return inp;
}, (inp, so, data, addr) => rip_send(inp, so, data, addr));

export const inetsw: ProtoSw[] = [
  { name: 'tcp', type: SOCK_STREAM, protocol: IPPROTO_TCP, flags: PR_CONNREQUIRED | PR_WANTRCVD, usrreqs: tcp_usrreqs },
  { name: 'udp', type: SOCK_DGRAM, protocol: IPPROTO_UDP, flags: PR_ATOMIC | PR_ADDR, usrreqs: udp_usrreqs },
  { name: 'icmp', type: SOCK_DGRAM, protocol: IPPROTO_ICMP, flags: PR_ATOMIC | PR_ADDR, usrreqs: ping_usrreqs },
  { name: 'raw', type: SOCK_RAW, protocol: IPPROTO_RAW, flags: PR_ATOMIC | PR_ADDR | PR_WILDCARD, usrreqs: rip_usrreqs },
];

export const inetdomain: Domain = { family: AF_INET, name: 'internet', protosw: inetsw };

/** Register AF_INET (idempotent; tests call it without a kernel). */
export function in_domain_register(): void {
  registerDomain(inetdomain);
}

/** Boot: the kernel's stack (with lo0), AF_INET, sysctl nodes. */
export function inet_init(k: Kernel): void {
  vnetOf(k);
  in_domain_register();
  in_sysctl_init(k);
}
