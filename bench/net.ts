/*
 * Network benchmark: TCP throughput (nc, 32 MiB) and ping round trips between
 * two bin/vkernel processes on one vknetd room, and the same between two
 * Linux network namespaces on the same relay (test/net/linuxpeer.ts) for
 * scale. Prints both and the ratio.
 *
 *   node --import tsx bench/net.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRelay } from '../relay/server.ts';
import { buildWorld } from '../tools/buildworld.ts';
import { hostfsWorld, VkConsole } from '../test/world/console.ts';
import { stageWorld } from '../test/world/scriptboot.ts';
import { linuxPeer, linuxPeerUnavailable } from '../test/net/linuxpeer.ts';

const MIB = 32;
const PINGS = 20;

interface Result {
  mbps: number;
  rttMs: number;
}

/** "round-trip min/avg/max/stddev = a/b/c/d ms" (BSD) or "rtt min/avg/max/mdev = ..." (Linux): the average. */
function avgRtt(out: string): number {
  const m = /(?:round-trip|rtt) min\/avg\/max\/(?:stddev|mdev) = [\d.]+\/([\d.]+)\//.exec(out);
  if (!m) throw new Error(`no ping summary in:\n${out}`);
  return Number(m[1]);
}

async function vkernels(relayUrl: string, work: string): Promise<Result> {
  const rc = () => ({
    'etc/rc.conf': { text: 'hostname="vkernel"\nnetwork_interfaces="lo0 vke0"\nifconfig_vke0="up"\n', mode: 0o644 },
    'etc/ttys': { text: 'console "/usr/libexec/getty al.Pc" cons25 on secure\n', mode: 0o644 },
  });
  const boot = (name: string, ip: string) => new VkConsole(
    [...hostfsWorld(stageWorld(work, rc(), name)), '-I', `${relayUrl}/bench:0.0.0.0:${ip}/16`],
    { cwd: work, mem: '256m', timeoutMs: 180_000 });
  const a = boot('a', '10.2.0.31'), b = boot('b', '10.2.0.32');
  try {
    await Promise.all([a.expect(/root@\S+:~ # /), b.expect(/root@\S+:~ # /)]);
    await a.sh('ping -c 2 10.2.0.32');	// ARP and the relay's MAC table settle first
    const rttMs = avgRtt((await a.sh(`ping -c ${PINGS} -i 0.2 10.2.0.32`)).out);
    b.type('nc -l 7000 > /dev/null\n');
    await new Promise((r) => setTimeout(r, 1000));
    const t0 = performance.now();
    const r = await a.sh(`dd if=/dev/zero bs=64k count=${MIB * 16} 2>/dev/null | nc -N 10.2.0.32 7000`);
    const s = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`nc: ${r.out}`);
    return { mbps: MIB / s, rttMs };
  } finally {
    a.kill();
    b.kill();
  }
}

async function linuxPair(relayUrl: string): Promise<Result | null> {
  if (linuxPeerUnavailable()) return null;
  const a = await linuxPeer(`${relayUrl}/linuxbench`, '10.2.0.41/16');
  const b = await linuxPeer(`${relayUrl}/linuxbench`, '10.2.0.42/16');
  try {
    await a.run('ping -c 2 10.2.0.42');
    const rttMs = avgRtt((await a.run(`ping -c ${PINGS} -i 0.2 10.2.0.42`)).stdout);
    const server = b.start('nc -d -l -p 7000 > /dev/null');
    const done = new Promise<void>((r) => server.on('close', () => r()));
    await new Promise((r) => setTimeout(r, 500));
    const t0 = performance.now();
    await a.run(`head -c ${MIB << 20} /dev/zero | nc -N 10.2.0.42 7000`);
    await done;
    return { mbps: MIB / ((performance.now() - t0) / 1000), rttMs };
  } finally {
    await a.close();
    await b.close();
  }
}

await buildWorld({ jobs: 2 });
const relay = await startRelay({ port: 0, host: '127.0.0.1', logSink: () => {} });
const work = mkdtempSync(join(tmpdir(), 'vkbench-net-'));
try {
  const vk = await vkernels(relay.url, work);
  const lx = await linuxPair(relay.url);
  console.log(`two peers on one vknetd room (${MIB} MiB over TCP with nc, ${PINGS} pings):`);
  console.log(`${'metric'.padEnd(20)} ${'vkernels'.padStart(10)} ${'Linux netns'.padStart(12)} ${'ratio'.padStart(8)}`);
  const row = (name: string, v: number, l: number | undefined, unit: string, higherBetter: boolean) => {
    const ratio = l === undefined ? '' : `${(higherBetter ? l / v : v / l).toFixed(1)}x`;
    console.log(`${`${name} (${unit})`.padEnd(20)} ${v.toFixed(2).padStart(10)} ${(l?.toFixed(2) ?? 'n/a').padStart(12)} ${ratio.padStart(8)}`);
  };
  row('TCP throughput', vk.mbps, lx?.mbps, 'MB/s', true);
  row('ping round trip', vk.rttMs, lx?.rttMs, 'ms', false);
} finally {
  await relay.close();
  rmSync(work, { recursive: true, force: true });
}
