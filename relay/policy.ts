/*
 * What a guest may not send, beyond the switch's MAC rules: anything that
 * impersonates the room's gateway (ARP or IPv4 from its address) and, while
 * the relay serves DHCP, DHCP server replies (a rogue server would hand out
 * addresses or a false router to the whole room). The checks read a few
 * header bytes only, so bulk TCP traffic passes at almost no cost.
 */
import { ETHER_HEADER_LEN, ETHERTYPE_ARP, ETHERTYPE_IPV4, frameType } from './ether.ts';
import { IPPROTO_UDP, readIp, type Ip4 } from './ipv4.ts';
import { DHCP_SERVER_PORT } from './dhcp-packet.ts';
import type { DropReason } from './stats.ts';

const ARP_SPA_OFF = ETHER_HEADER_LEN + 14;
const IP_SRC_OFF = ETHER_HEADER_LEN + 12;

export function ingressViolation(frame: Uint8Array, gateway: Ip4, dhcp: boolean): DropReason | undefined {
  const type = frameType(frame);
  if (type === ETHERTYPE_ARP) {
    return frame.length >= ARP_SPA_OFF + 4 && readIp(frame, ARP_SPA_OFF) === gateway ? 'gateway-spoof' : undefined;
  }
  if (type !== ETHERTYPE_IPV4 || frame.length < ETHER_HEADER_LEN + 20) return undefined;
  if (readIp(frame, IP_SRC_OFF) === gateway) return 'gateway-spoof';
  if (!dhcp || frame[ETHER_HEADER_LEN + 9] !== IPPROTO_UDP) return undefined;
  const udp = ETHER_HEADER_LEN + (frame[ETHER_HEADER_LEN] & 0x0f) * 4;
  if (frame.length < udp + 2) return undefined;
  return ((frame[udp] << 8) | frame[udp + 1]) === DHCP_SERVER_PORT ? 'rogue-dhcp' : undefined;
}
