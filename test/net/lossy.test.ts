/*
 * TCP through a lossy relay room, end to end: bin/vknetd runs as its own
 * process with --lossy drop=0.03,dup=0.02,reorder=0.05 for one room, and two
 * bin/vkernel guests boot the world there. DHCP must still succeed (dhclient
 * retries), ping must mostly work, and nc must deliver every byte in order
 * (MD5 on both sides). The relay's /status proves frames really were dropped,
 * duplicated and reordered, and the guests' TCP counters prove they
 * retransmitted, so the test cannot pass on a clean wire.
 *
 * LOSSY_MIB=16 moves 16 MiB instead of 2.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWorld } from '../../tools/buildworld.ts';
import { installEtc } from '../../tools/world_etc.ts';
import { hostfsWorld, VkConsole } from '../world/console.ts';
import { stageWorld, WORLD_ROOT } from '../world/scriptboot.ts';
import { RelayProc } from './relayproc.ts';

const MIB = Number(process.env.LOSSY_MIB ?? '2');
const LOSSY = 'drop=0.03,dup=0.02,reorder=0.05,seed=4242';
/* Root logged in on the console by getty's al.Pc (autologin), DHCP as in the stock rc.conf. */
const TTYS = 'console "/usr/libexec/getty al.Pc" cons25 on secure\n';

let relay: RelayProc | undefined;
let work = '';
const guests: VkConsole[] = [];

before(async () => {
  const r = await buildWorld({ jobs: 2 });
  for (const p of ['sbin/init', 'sbin/dhclient', 'sbin/ping', 'sbin/sysctl', 'usr/bin/nc', 'usr/bin/md5', 'usr/bin/netstat']) {
    assert.ok(existsSync(join(WORLD_ROOT, p)), `${p} not built: ${r.errors.join('\n')}`);
  }
  installEtc(WORLD_ROOT);
  work = mkdtempSync(join(tmpdir(), 'lossy-'));
});

after(() => {
  for (const g of guests) {
    g.kill();
    if (process.env.LOSSY_LOG) process.stderr.write(`\n----- console -----\n${g.out}`);
  }
  relay?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function boot(url: string, name: string): Promise<{ c: VkConsole; addr: string }> {
  const root = stageWorld(work, { 'etc/ttys': { text: TTYS, mode: 0o644 } }, name);
  const c = new VkConsole([...hostfsWorld(root), '-I', url], { cwd: work, mem: '256m', timeoutMs: 180_000 });
  guests.push(c);
  const m = (await c.match(/bound to (10\.2\.\d+\.\d+) -- renewal in \d+ seconds\./)).m!;
  await c.expect(/root@\S+:~ # /);
  return { c, addr: m[1] };
}

/** A sysctl counter's value in a guest. */
async function counter(c: VkConsole, name: string): Promise<number> {
  const r = await c.sh(`sysctl -n ${name}`);
  assert.equal(r.status, 0, r.out);
  return Number(r.out.trim());
}

describe('TCP through a lossy relay room', () => {
  test(`DHCP, ping and ${MIB} MiB over nc survive drop/dup/reorder`, { timeout: 600_000 }, async (t) => {
    const room = `lossy${process.pid}`;
    relay = await RelayProc.start(['--lossy', LOSSY, '--lossy-room', room]);
    const [a, b] = await Promise.all([boot(relay.url(room), 'a'), boot(relay.url(room), 'b')]);
    assert.notEqual(a.addr, b.addr);

    /* Some echo requests or replies are lost on the way; most must come back. */
    const ping = await a.c.sh(`ping -c 20 -i 0.2 ${b.addr}`);
    const pm = /20 packets transmitted, (\d+) packets received/.exec(ping.out);
    assert.ok(pm, ping.out);
    assert.ok(Number(pm[1]) >= 10, ping.out);
    assert.equal(ping.status, 0, ping.out);

    const retransBefore = await counter(a.c, 'net.inet.tcp.stats.retranssegs');
    /* B listens (wait until the socket is there), A sends MIB MiB of random bytes; both hash them. */
    /* Job control off, so the background nc has /dev/null for stdin and no terminal games (see hostile.test.ts). */
    assert.equal((await b.c.sh('set +m')).status, 0);
    b.c.type(`nc -l 5001 > /tmp/got &\n`);
    assert.equal((await b.c.sh(`until netstat -an | grep -q '[*][.]5001 .*LISTEN'; do sleep 0.2; done`)).status, 0);
    const made = await a.c.sh(`dd if=/dev/urandom of=/tmp/data bs=65536 count=${MIB * 16} 2>/dev/null && md5 -q /tmp/data`);
    assert.equal(made.status, 0, made.out);
    const sent = made.out.trim();
    assert.match(sent, /^[0-9a-f]{32}$/);
    const nc = await a.c.sh(`nc -N ${b.addr} 5001 < /tmp/data`);
    assert.equal(nc.status, 0, nc.out);
    assert.equal((await b.c.sh('wait')).status, 0);
    const got = await b.c.sh('stat -f %z /tmp/got && md5 -q /tmp/got');
    assert.equal(got.out, `${MIB * 1048576}\n${sent}\n`);

    /* The wire really was impaired... */
    const st = await relay.status();
    const lossy = st.rooms.find((r) => r.name === room)?.lossy;
    assert.ok(lossy, 'the room is lossy');
    assert.ok(lossy.dropped > 0 && lossy.duplicated > 0 && lossy.reordered > 0, JSON.stringify(lossy));
    /* ...and TCP repaired it: the sender retransmitted, netstat -s says so too. */
    const retrans = (await counter(a.c, 'net.inet.tcp.stats.retranssegs')) - retransBefore;
    assert.ok(retrans > 0, `retransmitted ${retrans}`);
    const ns = await a.c.sh('netstat -s');
    const nm = /^\t(\d+) data packets retransmitted$/m.exec(ns.out);
    assert.ok(nm && Number(nm[1]) >= retrans, ns.out);
    t.diagnostic(`lossy room ${JSON.stringify(lossy)}; sender retransmitted ${retrans} segments`);

    for (const g of [a, b]) g.c.type('halt\n');
    await Promise.all([a, b].map((g) => g.c.expect('The operating system has halted.', 120_000)));
    assert.ok(relay.alive(), 'vknetd still running');
    assert.deepEqual(relay.errors(), []);
  });

  test('dhclient retries until a lease gets through a very lossy room', { timeout: 300_000 }, async (t) => {
    /* With this seed the room drops its first two frames (the DISCOVER, or what follows it), then lets six through. */
    const room = `dhcploss${process.pid}`;
    const r2 = await RelayProc.start(['--lossy', 'drop=0.3,seed=325', '--lossy-room', room]);
    try {
      const g = await boot(r2.url(room), 'dhcploss');
      const tries = (what: string): number => g.c.out.split(`${what} on vke0`).length - 1;
      const lossy = (await r2.status()).rooms.find((r) => r.name === room)?.lossy;
      t.diagnostic(`${tries('DHCPDISCOVER')} DISCOVERs, ${tries('DHCPREQUEST')} REQUESTs; room ${JSON.stringify(lossy)}`);
      assert.ok(lossy && lossy.dropped >= 2, JSON.stringify(lossy));
      assert.ok(tries('DHCPDISCOVER') + tries('DHCPREQUEST') > 2, 'dhclient sent again what was lost');
      assert.match((await g.c.sh('ifconfig vke0')).out, /\tinet 10\.2\.\d+\.\d+ netmask 0xffff0000/);
      g.c.type('halt\n');
      await g.c.expect('The operating system has halted.', 120_000);
      assert.deepEqual(r2.errors(), []);
    } finally {
      r2.stop();
    }
  });
});
