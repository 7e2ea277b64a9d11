/*
 * bin/vknetd's command line: parse, start the relay, stop cleanly on SIGTERM
 * or SIGINT (clients see close code 1001). Bad options print the usage line
 * and exit 64 (EX_USAGE), as BSD tools do.
 */
import { parseArgs } from 'node:util';
import { OptionError, type LossySpec, type RelayOptions } from './options.ts';
import { startRelay } from './server.ts';

export const EX_USAGE = 64;
const EX_UNAVAILABLE = 69;

export const USAGE = 'usage: vknetd [-v] [-p port] [-a address] [--network a.b.c.d/len] [--gateway ip] [--pool-start ip] [--pool-end ip]\n' +
  '              [--dns ip ...] [--lease S] [--no-dhcp] [--allow-origin ORIGIN ...] [--max-frame N] [--fps N] [--bps N]\n' +
  '              [--abuse-seconds S] [--clients-per-room N] [--rooms N] [--idle-timeout S] [--mac-aging S] [--macs-per-port N]\n' +
  '              [--lossy drop=P,dup=P,reorder=P,seed=N] [--lossy-room NAME ...]';

const SPEC = {
  port: { type: 'string', short: 'p' },
  address: { type: 'string', short: 'a' },
  network: { type: 'string' },
  gateway: { type: 'string' },
  'pool-start': { type: 'string' },
  'pool-end': { type: 'string' },
  dns: { type: 'string', multiple: true },
  lease: { type: 'string' },
  'no-dhcp': { type: 'boolean' },
  'allow-origin': { type: 'string', multiple: true },
  'max-frame': { type: 'string' },
  fps: { type: 'string' },
  bps: { type: 'string' },
  'abuse-seconds': { type: 'string' },
  'clients-per-room': { type: 'string' },
  rooms: { type: 'string' },
  'idle-timeout': { type: 'string' },
  'mac-aging': { type: 'string' },
  'macs-per-port': { type: 'string' },
  lossy: { type: 'string' },
  'lossy-room': { type: 'string', multiple: true },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

function num(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(v)) throw new OptionError(`--${name}: not a number: ${v}`);
  return Number(v);
}

/** "drop=0.1,dup=0.05,reorder=0.1,seed=1"; missing probabilities are 0, the seed 1. */
export function parseLossy(s: string): LossySpec {
  const spec: LossySpec = { drop: 0, dup: 0, reorder: 0, seed: 1 };
  for (const part of s.split(',')) {
    const m = /^(drop|dup|reorder|seed)=(\d+(?:\.\d+)?)$/.exec(part.trim());
    if (!m) throw new OptionError(`--lossy: expected drop=P,dup=P,reorder=P,seed=N, got ${part}`);
    spec[m[1] as keyof LossySpec] = Number(m[2]);
  }
  return spec;
}

export type CliResult = { kind: 'help' } | { kind: 'run'; options: RelayOptions };

export function parseCli(argv: string[]): CliResult {
  let v;
  try {
    v = parseArgs({ args: argv, options: SPEC, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new OptionError((e as Error).message);
  }
  if (v.help) return { kind: 'help' };
  return {
    kind: 'run',
    options: {
      port: num('port', v.port), host: v.address, network: v.network, gateway: v.gateway,
      poolStart: v['pool-start'], poolEnd: v['pool-end'], dns: v.dns, leaseSeconds: num('lease', v.lease),
      dhcp: !v['no-dhcp'], allowOrigins: v['allow-origin'], maxFrame: num('max-frame', v['max-frame']),
      fps: num('fps', v.fps), bps: num('bps', v.bps), abuseSeconds: num('abuse-seconds', v['abuse-seconds']),
      clientsPerRoom: num('clients-per-room', v['clients-per-room']), maxRooms: num('rooms', v.rooms),
      idleTimeout: num('idle-timeout', v['idle-timeout']), macAging: num('mac-aging', v['mac-aging']),
      macsPerPort: num('macs-per-port', v['macs-per-port']),
      lossy: v.lossy !== undefined ? parseLossy(v.lossy) : undefined, lossyRooms: v['lossy-room'],
      logLevel: v.verbose ? 'debug' : 'info',
    },
  };
}

function usage(message: string): never {
  if (message) process.stderr.write(`vknetd: ${message}\n`);
  process.stderr.write(`${USAGE}\n`);
  process.exit(EX_USAGE);
}

export async function main(argv: string[]): Promise<void> {
  let r: CliResult;
  try {
    r = parseCli(argv);
  } catch (e) {
    if (e instanceof OptionError) usage(e.message);
    throw e;
  }
  if (r.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const relay = await startRelay(r.options).catch((e: NodeJS.ErrnoException) => {
    if (e instanceof OptionError) usage(e.message);
    process.stderr.write(`vknetd: cannot listen: ${e.message}\n`);
    process.exit(EX_UNAVAILABLE);
  });
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void relay.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
