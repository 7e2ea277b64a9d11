/*
 * Ethernet (MAC-48) addresses. Inside the relay a MAC is a plain number
 * (48 bits fit exactly in a double), so MAC tables are cheap Map<number, …>.
 */

export type Mac = number;

export const BROADCAST_MAC: Mac = 0xffff_ffff_ffff;

/*
 * The gateway's own address: locally administered (bit 1 of the first octet),
 * unicast, spelling "\x02vknet" so it is recognisable in a packet capture.
 * Rooms are isolated, so every room's gateway can share it.
 */
export const GATEWAY_MAC: Mac = 0x02_76_6b_6e_65_74;

/** Read the 6-byte MAC at `off`. */
export function readMac(b: Uint8Array, off: number): Mac {
  return ((b[off] << 8) | b[off + 1]) * 0x1_0000_0000 + (((b[off + 2] << 24) | (b[off + 3] << 16) | (b[off + 4] << 8) | b[off + 5]) >>> 0);
}

export function writeMac(b: Uint8Array, off: number, mac: Mac): void {
  const hi = Math.floor(mac / 0x1_0000_0000);
  const lo = mac >>> 0;
  b[off] = hi >>> 8;
  b[off + 1] = hi & 0xff;
  b[off + 2] = lo >>> 24;
  b[off + 3] = (lo >>> 16) & 0xff;
  b[off + 4] = (lo >>> 8) & 0xff;
  b[off + 5] = lo & 0xff;
}

/** Group bit (I/G): broadcast and multicast frames are flooded, and never a valid source. */
export function isGroupMac(mac: Mac): boolean {
  return Math.floor(mac / 0x100_0000_0000) % 2 === 1;
}

export function formatMac(mac: Mac): string {
  const b = new Uint8Array(6);
  writeMac(b, 0, mac);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(':');
}

export function parseMac(s: string): Mac | undefined {
  const m = /^([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})$/i.exec(s);
  if (!m) return undefined;
  return m.slice(1).reduce((acc, h) => acc * 256 + parseInt(h, 16), 0);
}
