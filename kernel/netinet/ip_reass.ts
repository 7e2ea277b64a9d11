/*
 * IPv4 fragment reassembly (BSD ip_reass): queues keyed by (src, dst, proto,
 * id), each collecting data into a buffer with a list of covered ranges.
 * Limits keep a fragment flood bounded: at most maxfragpackets queues,
 * maxfragsperpacket fragments per queue and maxfragbytes held in total; a
 * queue older than ipfragttl is dropped (with ICMP time exceeded if its
 * first fragment arrived). Overlapping data keeps the first copy.
 */
import type { Ifnet } from '../net/if.ts';
import type { Vnet } from '../net/vnet.ts';
import { icmp_error, ICMP_TIMXCEED, ICMP_TIMXCEED_REASS } from './ip_icmp.ts';
import { IP_MAXPACKET, IP_MF, IP_OFFMASK, type IpHdr } from './ip.ts';
import { put16 } from './in.ts';
import { in_cksum } from './in_cksum.ts';

export const reassParams = {
  maxfragpackets: 64,
  maxfragsperpacket: 64,
  /** Total payload bytes held across all queues. */
  maxfragbytes: 1 << 20,
  /** ms a queue may wait for its missing pieces (BSD: 30 s). */
  ttlMs: 30_000,
};

interface FragQueue {
  key: string;
  ifp: Ifnet;
  created: number;
  nfrags: number;
  /** Header of the first fragment (offset 0), once seen. */
  hdr: Uint8Array | null;
  /** Total payload length, once the last fragment is seen. */
  total: number;
  ranges: Array<[number, number]>;
  data: Uint8Array;
  held: number;
}

class ReassState {
  readonly q = new Map<string, FragQueue>();
  held = 0;
  tick: () => boolean = () => false;
}

function st(vn: Vnet): ReassState {
  let s = vn.state.get('reass') as ReassState | undefined;
  if (!s) {
    const s2 = (s = new ReassState());
    s.tick = () => reassTimer(vn, s2);
    vn.state.set('reass', s);
  }
  return s;
}

export function reass_queues(vn: Vnet): { queues: number; bytes: number } {
  const s = st(vn);
  return { queues: s.q.size, bytes: s.held };
}

function drop(vn: Vnet, s: ReassState, fq: FragQueue): void {
  s.q.delete(fq.key);
  s.held -= fq.held;
  vn.stat('ip', 'ReasmFails');
}

/** Add one fragment; returns the whole datagram when it completes. */
export function ip_reass(ifp: Ifnet, h: IpHdr, pkt: Uint8Array): Uint8Array | null {
  const vn = ifp.vnet;
  const s = st(vn);
  vn.stat('ip', 'ReasmReqds');
  const off = (h.off & IP_OFFMASK) << 3;
  const more = (h.off & IP_MF) !== 0;
  const data = pkt.subarray(h.hl);
  const end = off + data.length;
  /* Non-last fragments must be multiples of 8; the whole must fit in 64 KiB. */
  if ((more && (data.length === 0 || data.length % 8 !== 0)) || end + h.hl > IP_MAXPACKET) {
    vn.stat('ip', 'ReasmFails');
    return null;
  }
  const key = `${h.src}:${h.dst}:${h.p}:${h.id}`;
  let fq = s.q.get(key);
  if (!fq) {
    if (s.q.size >= reassParams.maxfragpackets) {
      const oldest = s.q.values().next().value as FragQueue;
      drop(vn, s, oldest);
    }
    fq = { key, ifp, created: vn.now(), nfrags: 0, hdr: null, total: -1, ranges: [], data: new Uint8Array(0), held: 0 };
    s.q.set(key, fq);
    vn.wantSlow(s.tick);
  }
  if (++fq.nfrags > reassParams.maxfragsperpacket) {
    drop(vn, s, fq);
    return null;
  }
  if (!more) {
    if (fq.total >= 0 && fq.total !== end) {
      drop(vn, s, fq);
      return null;
    }
    fq.total = end;
  }
  if ((fq.total >= 0 && end > fq.total) || s.held + data.length > reassParams.maxfragbytes) {
    drop(vn, s, fq);
    return null;
  }
  if (off === 0 && !fq.hdr) fq.hdr = pkt.slice(0, h.hl);
  if (fq.data.length < end) {
    const nd = new Uint8Array(Math.max(end, Math.min(IP_MAXPACKET, fq.data.length * 2)));
    nd.set(fq.data);
    fq.data = nd;
  }
  /* Copy only the holes, so the first copy of any byte wins. */
  let pos = off;
  const ranges = [...fq.ranges].sort((a, b) => a[0] - b[0]);
  for (const [a, b] of ranges) {
    if (b <= pos) continue;
    if (a >= end) break;
    if (a > pos) fq.data.set(data.subarray(pos - off, a - off), pos);
    pos = Math.max(pos, b);
  }
  if (pos < end) fq.data.set(data.subarray(pos - off), pos);
  fq.ranges = mergeRanges([...ranges, [off, end]]);
  s.held += data.length;
  fq.held += data.length;
  if (!fq.hdr || fq.total < 0 || fq.ranges.length !== 1 || fq.ranges[0][0] !== 0 || fq.ranges[0][1] !== fq.total) return null;
  s.q.delete(key);
  s.held -= fq.held;
  const hl = fq.hdr.length;
  const out = new Uint8Array(hl + fq.total);
  out.set(fq.hdr);
  out.set(fq.data.subarray(0, fq.total), hl);
  put16(out, 2, out.length);
  put16(out, 6, 0);
  out[10] = out[11] = 0;
  put16(out, 10, in_cksum(out, 0, hl));
  vn.stat('ip', 'ReasmOKs');
  return out;
}

function mergeRanges(r: Array<[number, number]>): Array<[number, number]> {
  r.sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const x of r) {
    const last = out[out.length - 1];
    if (last && x[0] <= last[1]) last[1] = Math.max(last[1], x[1]);
    else out.push([x[0], x[1]]);
  }
  return out;
}

function reassTimer(vn: Vnet, s: ReassState): boolean {
  const now = vn.now();
  for (const fq of [...s.q.values()]) {
    if (now - fq.created < reassParams.ttlMs) continue;
    vn.stat('ip', 'ReasmTimeout');
    drop(vn, s, fq);
    if (fq.hdr) {
      /* RFC 792: time exceeded in reassembly, quoting the first fragment. */
      const pkt = new Uint8Array(fq.hdr.length + 8);
      pkt.set(fq.hdr);
      pkt.set(fq.data.subarray(0, 8), fq.hdr.length);
      put16(pkt, 2, pkt.length);
      icmp_error(
        {
          ifp: fq.ifp,
          h: { hl: fq.hdr.length, tos: 0, len: pkt.length, id: 0, off: 0, ttl: 0, p: fq.hdr[9], src: 0, dst: 0 },
          pkt,
          bcast: false,
        },
        ICMP_TIMXCEED,
        ICMP_TIMXCEED_REASS,
      );
    }
  }
  return s.q.size > 0;
}
