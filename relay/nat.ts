/*
 * The hook for a future outbound NAT. The relay has no route to the outside
 * world: frames a guest sends to the gateway for an address beyond the room
 * are dropped (counted as 'no-route') and the sender gets an ICMP
 * "administratively prohibited". Handing such frames to the outside is an
 * operator's explicit choice that a later version may implement behind this
 * interface; `outboundNat` is undefined (disabled) by default and the CLI has
 * no switch for it yet.
 */

export interface OutboundNat {
  /**
   * Called with an IPv4 packet (Ethernet header stripped) that a guest in
   * `room` addressed to the gateway for a destination outside the room's
   * network. `reply` injects a frame's IPv4 payload back to the guest.
   */
  outbound(room: string, guestMac: number, packet: Uint8Array, reply: (packet: Uint8Array) => void): void;
}
