/*
 * Which browser pages may connect. Browsers send Origin on every WebSocket
 * handshake and cannot forge it, so the check stops other web sites from
 * using a visitor's browser to join rooms. Clients without an Origin
 * (bin/vkernel, tests, tools) are not browsers and are let in.
 */

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Whether a listen address is loopback only. */
export function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || address.startsWith('127.');
}

function hostnameOf(hostHeader: string | undefined): string | undefined {
  if (!hostHeader) return undefined;
  try {
    return new URL(`http://${hostHeader}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * `allow` undefined: localhost, and the relay's own host name (any port: the
 * page is usually served on another one) when `sameHost` is set. Otherwise
 * exactly the listed origins, or any with '*'.
 *
 * A relay bound to loopback passes sameHost = false: there, an Origin equal
 * to the Host header can only be a DNS-rebinding page (evil.example resolved
 * to 127.0.0.1), since real local pages are localhost or 127.0.0.1.
 */
export function originAllowed(origin: string | undefined, hostHeader: string | undefined, allow: string[] | undefined, sameHost = true): boolean {
  if (origin === undefined) return true;
  const o = origin.trim().toLowerCase().replace(/\/+$/, '');
  if (allow) return allow.some((a) => a === '*' || a.toLowerCase().replace(/\/+$/, '') === o);
  let url: URL;
  try {
    url = new URL(o);
  } catch {
    return false; // "null" (sandboxed frames, file:) and garbage
  }
  const h = url.hostname;
  return LOCAL_HOSTS.has(h) || h.endsWith('.localhost') || (sameHost && h === hostnameOf(hostHeader));
}
