/*
 * vkernel(7)'s command line: `[-hsUvd] [-c file] [-e name=value:...] [-i file]
 * [-I interface[:address1[:address2][/netmask][=MAC]]] [-l cpulock] [-m size]
 * [-n numcpus[:lbits[:cbits]]] [-p pidfile] [-r file[:serno]]`, with the real
 * vkernel's option string, limits and messages. Platform-free: bin/vkernel and
 * the browser's boot form both use it.
 */
import { type BootConfig, defaultBootConfig, type NetSpec } from './bootconfig.ts';

export const EX_USAGE = 64;
export const MAX_DISKS = 16;
export const MAX_NETIFS = 16;
export const MAX_CPUS = 16;
const MB = 1024 * 1024;

export const USAGE = [
  'Usage: vkernel [-hsUvd] [-c file] [-e name=value:name=value:...]',
  '\t[-i file] [-I interface[:address1[:address2][/netmask][=MAC]]] [-l cpulock]',
  '\t[-m size] [-n numcpus[:lbits[:cbits]]]',
  '\t[-p file] [-r file[:serno]]',
  '',
  'Arguments:',
  '\t-c\tSpecify a readonly CD-ROM image file to be used by the kernel.',
  '\t-e\tSpecify an environment to be used by the kernel.',
  '\t-h\tThis list of options.',
  '\t-i\tSpecify a memory image file to be used by the virtual kernel.',
  '\t-I\tCreate a virtual network device.',
  '\t-l\tSpecify which, if any, real CPUs to lock virtual CPUs to.',
  '\t-m\tSpecify the amount of memory to be used by the kernel in bytes.',
  '\t-n\tSpecify the number of CPUs and the topology you wish to emulate:',
  '\t\t\tnumcpus - number of cpus',
  '\t\t\tlbits - specify the number of bits within APICID(=CPUID) needed for representing',
  '\t\t\tthe logical ID. Controls the number of threads/core (0bits - 1 thread, 1bit - 2 threads).',
  '\t\t\tcbits - specify the number of bits within APICID(=CPUID) needed for representing',
  '\t\t\tthe core ID. Controls the number of core/package (0bits - 1 core, 1bit - 2 cores).',
  '\t-p\tSpecify a file in which to store the process ID.',
  '\t-r\tSpecify a R/W disk image file, optionally followed by a serial number.',
  '\t-s\tBoot into single-user mode.',
  '\t-U\tEnable writing to kernel memory and module loading.',
  '\t-v\tTurn on verbose booting.',
  '\t-d\tDisable the hardware-assisted page table path (software page-table walks).',
].join('\n');

/** A command-line error: the message to print and the exit status. */
export class CmdlineError extends Error {
  constructor(message: string, readonly status: number = EX_USAGE, readonly showUsage = false) {
    super(message);
  }
}

export type CmdlineResult = { kind: 'boot'; config: BootConfig } | { kind: 'help' };

/* The real kernel's getopt string. */
const OPTSTRING = 'c:hsvl:m:n:r:e:i:p:I:Ud';

interface ParsedOpt {
  opt: string;
  arg?: string;
}

/** POSIX getopt over argv (without the program name); stops at the first operand or `--`. */
export function getopt(argv: string[], optstring: string): { opts: ParsedOpt[]; rest: string[] } {
  const opts: ParsedOpt[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const word = argv[i];
    if (word === '--') {
      i++;
      break;
    }
    if (word.length < 2 || word[0] !== '-') break;
    for (let j = 1; j < word.length; j++) {
      const c = word[j];
      const at = optstring.indexOf(c);
      if (at < 0 || c === ':') throw new CmdlineError(`vkernel: illegal option -- ${c}`, EX_USAGE, true);
      if (optstring[at + 1] !== ':') {
        opts.push({ opt: c });
        continue;
      }
      let arg = word.slice(j + 1);
      if (arg === '') {
        if (i + 1 >= argv.length) throw new CmdlineError(`vkernel: option requires an argument -- ${c}`, EX_USAGE, true);
        arg = argv[++i];
      }
      opts.push({ opt: c, arg });
      break;
    }
  }
  return { opts, rest: argv.slice(i) };
}

export function parseCmdline(argv: string[]): CmdlineResult {
  if (argv.length === 0) throw new CmdlineError('', EX_USAGE, true);
  const { opts, rest } = getopt(argv, OPTSTRING);
  if (rest.length > 0) throw new CmdlineError(`vkernel: unexpected argument '${rest[0]}'`, EX_USAGE, true);
  const cfg = defaultBootConfig();
  let memGiven = false;
  for (const { opt, arg = '' } of opts) {
    switch (opt) {
      case 'h': return { kind: 'help' };
      case 's': cfg.singleUser = true; break;
      case 'v': cfg.verbose = true; break;
      case 'U': cfg.kmemWritable = true; break;
      case 'd': cfg.softwarePageTables = true; break;
      case 'm': cfg.memSize = parseMemSize(arg); memGiven = true; break;
      case 'n': parseNcpus(arg, cfg); break;
      case 'l': cfg.cpulock = parseCpulock(arg, Infinity); break;
      case 'e': for (const [k, v] of parseKenv(arg)) cfg.kenv.set(k, v); break;
      case 'i': cfg.memImage = arg; break;
      case 'p': cfg.pidfile = arg; break;
      case 'r': addDisk(cfg, 'vkd', arg); break;
      case 'c': addDisk(cfg, 'vcd', arg); break;
      case 'I': addNet(cfg, arg); break;
    }
  }
  cfg.memSizeGiven = memGiven;
  return { kind: 'boot', config: cfg };
}

/** `-m`: bytes, or a number with a k/K/m/M/g/G suffix; 64 MB minimum, 2 MB multiples. */
export function parseMemSize(s: string): number {
  const m = /^(\d+)([kKmMgG]?)$/.exec(s);
  if (!m) throw new CmdlineError('Bad maxmem option');
  const unit = { '': 1, k: 1024, m: MB, g: 1024 * MB }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  const bytes = Number(m[1]) * unit;
  if (!Number.isSafeInteger(bytes) || bytes < 64 * MB || bytes % (2 * MB) !== 0) {
    throw new CmdlineError('Bad maxmem specification: 64MB minimum, multiples of 2MB only');
  }
  return bytes;
}

function parseNcpus(s: string, cfg: BootConfig): void {
  const parts = s.split(':');
  const num = (t: string | undefined): number => (t !== undefined && /^\d+$/.test(t) ? Number(t) : NaN);
  const n = num(parts[0]);
  if (parts.length > 3 || !(n >= 1 && n <= MAX_CPUS)) throw new CmdlineError(`Bad ncpus, valid range is 1-${MAX_CPUS}`);
  cfg.ncpus = n;
  if (parts.length > 1) {
    const lbits = num(parts[1]);
    if (!(lbits >= 0 && lbits <= 4)) throw new CmdlineError(`Bad lbits value '${parts[1]}', valid range is 0-4`);
    cfg.lbits = lbits;
  }
  if (parts.length > 2) {
    const cbits = num(parts[2]);
    if (!(cbits >= 0 && cbits <= 4)) throw new CmdlineError(`Bad cbits value '${parts[2]}', valid range is 0-4`);
    cfg.cbits = cbits;
  }
}

/** `-l any|map[,startCPU]|CPU`, checked against the host's CPU count when known. */
export function parseCpulock(s: string, hostCpus: number): BootConfig['cpulock'] {
  const checkCpu = (t: string): number => {
    if (!/^\d+$/.test(t)) throw new CmdlineError(`Bad target CPU number at '${t}'`);
    const n = Number(t);
    if (n >= hostCpus) throw new CmdlineError(`Bad target CPU, valid range is 0-${hostCpus - 1}`);
    return n;
  };
  if (s === 'any') return { mode: 'any' };
  if (s === 'map') return { mode: 'map', start: 0 };
  if (s.startsWith('map,')) return { mode: 'map', start: checkCpu(s.slice(4)) };
  return { mode: 'cpu', cpu: checkCpu(s) };
}

/** Re-check -l against the host once the host is known (the parser runs platform-free). */
export function checkCpulock(cfg: BootConfig, hostCpus: number): void {
  const l = cfg.cpulock;
  if (l.mode === 'map') parseCpulock(`map,${l.start}`, hostCpus);
  if (l.mode === 'cpu') parseCpulock(String(l.cpu), hostCpus);
}

/** `-e name=value:name=value`; single or double quotes protect colons and are removed. */
export function parseKenv(s: string): Array<[string, string]> {
  const items: string[] = [];
  let cur = '';
  let quote = '';
  for (const ch of s) {
    if (quote) {
      if (ch === quote) quote = '';
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === ':') {
      items.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  if (quote) throw new CmdlineError(`Unterminated quote in -e '${s}'`);
  items.push(cur);
  const out: Array<[string, string]> = [];
  for (const item of items) {
    if (item === '') continue;
    const eq = item.indexOf('=');
    // A piece without '=' continues the previous value, so the unquoted
    // `vfs.root.mountfrom=ufs:vkd0s0a` means what its writer meant.
    if (eq < 0 && out.length > 0) {
      out[out.length - 1][1] += `:${item}`;
      continue;
    }
    if (eq <= 0) throw new CmdlineError(`Bad environment variable '${item}': expected name=value`);
    out.push([item.slice(0, eq), item.slice(eq + 1)]);
  }
  return out;
}

function addDisk(cfg: BootConfig, kind: 'vkd' | 'vcd', arg: string): void {
  if (cfg.disks.length >= MAX_DISKS) throw new CmdlineError(`Too many disk devices specified (${MAX_DISKS} max)`);
  if (arg === '') throw new CmdlineError(`Bad disk image file name ''`);
  const unit = cfg.disks.filter((d) => d.kind === kind).length;
  let path = arg;
  let serno: string | undefined;
  // file:serno for -r. A colon inside a URL scheme (idb:, https://) is not a serial number.
  const colon = arg.lastIndexOf(':');
  if (kind === 'vkd' && colon > 0 && !arg.slice(colon + 1).startsWith('/')) {
    path = arg.slice(0, colon);
    serno = arg.slice(colon + 1);
    if (serno.length > 30) throw new CmdlineError(`Serial number '${serno}' too long (30 characters max)`);
  }
  cfg.disks.push({ kind, unit, path, serno });
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function validIpv4(s: string): boolean {
  const m = IPV4.exec(s);
  return m !== null && m.slice(1).every((o) => Number(o) <= 255);
}

function validUrl(s: string): boolean {
  try {
    return new URL(s).hostname !== '';
  } catch {
    return false;
  }
}

/**
 * `-I interface[:address1[:address2][/netmask][=MAC]]`. The interface may be a
 * ws:// or wss:// URL, whose own colons are not separators.
 */
export function parseNetif(arg: string, unit: number): NetSpec {
  let rest = arg;
  let mac: string | undefined;
  const eq = rest.lastIndexOf('=');
  if (eq >= 0) {
    mac = rest.slice(eq + 1).toLowerCase();
    rest = rest.slice(0, eq);
    if (!/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(mac)) throw new CmdlineError(`Invalid MAC address: ${mac}`);
    /* An interface address must be unicast and not all zeros. */
    if ((parseInt(mac.slice(0, 2), 16) & 1) || mac === '00:00:00:00:00:00') throw new CmdlineError(`Invalid MAC address: ${mac}`);
  }
  let iface: string;
  /* The URL: scheme, host ([v6] or name), an optional numeric port, an optional path without colons. */
  const url = /^(wss?:\/\/(?:\[[^\]]*\]|[^:/]*)(?::\d+)?(?:\/[^:]*)?)(.*)$/.exec(rest);
  if (url) {
    iface = url[1];
    rest = url[2].startsWith(':') ? url[2].slice(1) : url[2];
    if ((url[2] !== '' && !url[2].startsWith(':')) || url[2] === ':') throw new CmdlineError(`Invalid argument to '-I'`);
    if (!validUrl(iface)) throw new CmdlineError(`Invalid relay URL: ${iface}`);
  } else {
    const c = rest.indexOf(':');
    iface = c < 0 ? rest : rest.slice(0, c);
    rest = c < 0 ? '' : rest.slice(c + 1);
    if (c >= 0 && rest === '') throw new CmdlineError(`Invalid argument to '-I'`);
  }
  if (iface === '') throw new CmdlineError(`Invalid argument to '-I'`);
  const spec: NetSpec = { unit, iface, mac };
  if (rest === '') return spec;
  let netmask: string | undefined;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    netmask = rest.slice(slash + 1);
    rest = rest.slice(0, slash);
  }
  const addrs = rest.split(':');
  if (addrs.length > 2) throw new CmdlineError(`Invalid argument to '-I'`);
  const [a1, a2] = addrs;
  if (/^bridge\d+$/.test(a1)) spec.bridge = a1;
  else if (validIpv4(a1)) spec.hostAddr = a1;
  else throw new CmdlineError(`Invalid pseudo netif address: ${a1}`);
  if (a2 !== undefined) {
    if (!validIpv4(a2)) throw new CmdlineError(`Invalid pseudo netif address: ${a2}`);
    spec.guestAddr = a2;
  }
  if (netmask !== undefined) {
    const len = /^\d+$/.test(netmask) ? Number(netmask) : NaN;
    if (!(len >= 1 && len <= 31)) throw new CmdlineError(`Invalid netmask len: ${netmask}`);
    spec.netmaskLen = len;
  }
  return spec;
}

function addNet(cfg: BootConfig, arg: string): void {
  if (cfg.nets.length >= MAX_NETIFS) throw new CmdlineError(`Too many network interfaces specified (${MAX_NETIFS} max)`);
  cfg.nets.push(parseNetif(arg, cfg.nets.length));
}

/** The command line that gives cfg (for the browser's live preview and share links). */
export function formatCmdline(cfg: BootConfig): string[] {
  const out: string[] = [];
  const flags = (cfg.singleUser ? 's' : '') + (cfg.kmemWritable ? 'U' : '') + (cfg.verbose ? 'v' : '') +
    (cfg.softwarePageTables ? 'd' : '');
  if (flags) out.push(`-${flags}`);
  out.push('-m', formatMem(cfg.memSize));
  if (cfg.ncpus !== 2 || cfg.lbits || cfg.cbits) {
    out.push('-n', cfg.lbits || cfg.cbits ? `${cfg.ncpus}:${cfg.lbits}:${cfg.cbits}` : String(cfg.ncpus));
  }
  if (cfg.cpulock.mode === 'map') out.push('-l', cfg.cpulock.start ? `map,${cfg.cpulock.start}` : 'map');
  if (cfg.cpulock.mode === 'cpu') out.push('-l', String(cfg.cpulock.cpu));
  if (cfg.memImage) out.push('-i', cfg.memImage);
  if (cfg.pidfile) out.push('-p', cfg.pidfile);
  for (const d of cfg.disks) out.push(d.kind === 'vkd' ? '-r' : '-c', d.serno ? `${d.path}:${d.serno}` : d.path);
  for (const n of cfg.nets) out.push('-I', formatNetif(n));
  for (const [k, v] of cfg.kenv) out.push('-e', /[:"']/.test(v) ? `${k}="${v}"` : `${k}=${v}`);
  return out;
}

function formatMem(bytes: number): string {
  if (bytes % (1024 * MB) === 0) return `${bytes / (1024 * MB)}g`;
  return `${bytes / MB}m`;
}

function formatNetif(n: NetSpec): string {
  let s = n.iface;
  const a1 = n.bridge ?? n.hostAddr;
  if (a1) s += `:${a1}`;
  if (n.guestAddr) s += `:${n.guestAddr}`;
  if (n.netmaskLen !== undefined && a1) s += `/${n.netmaskLen}`;
  if (n.mac) s += `=${n.mac}`;
  return s;
}
