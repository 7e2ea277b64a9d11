/*
 * Traffic counters. Every frame the relay refuses is counted under a reason,
 * per client and in the server's totals, so /status explains every loss.
 */

export type DropReason =
  | 'text' // a text message: the framing is binary only
  | 'runt' // shorter than an Ethernet header
  | 'oversize' // longer than --max-frame
  | 'rate-fps' // over the frames-per-second bucket
  | 'rate-bps' // over the bytes-per-second bucket
  | 'spoof' // source MAC owned by another port (or the gateway)
  | 'bad-src' // multicast or all-zero source MAC
  | 'mac-limit' // the port already owns its maximum of MACs
  | 'gateway-spoof' // ARP claiming the gateway's IP
  | 'rogue-dhcp' // a DHCP server reply sent by a client
  | 'no-route' // addressed to the outside world, which the relay does not reach
  | 'self' // addressed to a MAC on the sending port itself
  | 'lossy' // dropped on purpose by the room's test impairment
  | 'backpressure'; // the receiving client reads too slowly

export type DropCounts = Partial<Record<DropReason, number>>;

export class Traffic {
  framesIn = 0;
  bytesIn = 0;
  framesOut = 0;
  bytesOut = 0;
  readonly drops: DropCounts = {};

  /** Counts also go to `parent` (the server's totals), which outlive the client. */
  constructor(private readonly parent?: Traffic) {}

  countIn(len: number): void {
    this.framesIn++;
    this.bytesIn += len;
    this.parent?.countIn(len);
  }

  countOut(len: number): void {
    this.framesOut++;
    this.bytesOut += len;
    this.parent?.countOut(len);
  }

  drop(reason: DropReason): void {
    this.drops[reason] = (this.drops[reason] ?? 0) + 1;
    this.parent?.drop(reason);
  }

  dropTotal(): number {
    let n = 0;
    for (const v of Object.values(this.drops)) n += v ?? 0;
    return n;
  }

  toJSON(): object {
    return { framesIn: this.framesIn, bytesIn: this.bytesIn, framesOut: this.framesOut, bytesOut: this.bytesOut, drops: { ...this.drops } };
  }
}
