/*
 * The Internet checksum (RFC 1071): ones' complement sum of 16-bit words.
 */

/** Partial (unfolded) sum of b[off, off+len), to chain pieces. */
export function in_cksum_partial(b: Uint8Array, off: number, len: number, sum = 0): number {
  let i = off;
  const end = off + len;
  for (; i + 1 < end; i += 2) sum += (b[i] << 8) | b[i + 1];
  if (i < end) sum += b[i] << 8;
  /* Fold now and then so the number stays a small integer. */
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

export function in_cksum_fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** Checksum of b[off, off+len); 0 when verifying a region that includes its checksum. */
export function in_cksum(b: Uint8Array, off: number, len: number): number {
  return in_cksum_fold(in_cksum_partial(b, off, len));
}

/** TCP/UDP checksum with the IPv4 pseudo-header. */
export function in_pseudo_cksum(src: number, dst: number, proto: number, b: Uint8Array, off: number, len: number): number {
  let sum = (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + proto + len;
  sum = in_cksum_partial(b, off, len, sum);
  return in_cksum_fold(sum);
}
