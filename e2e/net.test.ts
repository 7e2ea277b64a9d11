/*
 * Two browser tabs on one relay room, end to end (the page half of
 * test/net/twovk.test.ts): each tab, in its own browser context (its own
 * IndexedDB and Web Locks, so each has its own copy-on-write root), boots the
 * world image with -I naming a room on a relay started here; rc's dhclient
 * gets both an address from the relay's DHCP server. Then A pings B, A sends
 * B random bytes over TCP with nc (MD5 on both sides), and httpd in A answers
 * fetch in B. The relay's status shows both sockets (with the page's Origin)
 * and both leases, and an empty room once they halt. NET_MIB sets the size
 * moved (default 64; 13-36 s measured on 2 loaded CPUs).
 *
 * The world's /tmp lives on the root disk, which is too small for 64 MiB, so
 * both sides put the data on a tmpfs (guest memory: hence -m 256m).
 *
 * A second test boots two tabs with -I auto:bridgeN and -I bridgeN, which
 * name the relay beside the page (ws://<page host>:8086/, as npm start runs
 * it); it starts one there, or is skipped when the port is taken. It also
 * stops and restarts that relay: vke0's link goes DOWN and UP in both tabs.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ViteDevServer } from 'vite';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, ROOT, screen, startServer, waitState } from './helpers.ts';
import { startRelay, type Relay } from '../relay/index.ts';
import { DEFAULT_RELAY_PORT } from '../workers/netws.ts';

const haveWorld = existsSync(join(ROOT, 'public', 'images', 'root.img'));
const MIB = Number(process.env.NET_MIB ?? '64');
const PROMPT = 'root@vkernel:~ # ';
const BOOT_MS = 240_000;

let server: ViteDevServer | undefined;
let browser: Browser | undefined;
let relay: Relay | undefined;
let url = '';
const contexts: BrowserContext[] = [];

before(async () => {
  if (!haveWorld) return;
  relay = await startRelay({ port: 0, host: '127.0.0.1', logSink: () => {} });
  /* No HMR: engineers editing sources would otherwise reload the pages mid-boot. */
  ({ server, url } = await startServer({ server: { hmr: false } }));
  browser = await launch();
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await server?.close();
  await relay?.close();
});

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One tab's console: commands typed, answers read off the terminal. */
class Tab {
  private n = 0;

  constructor(readonly name: string, readonly page: Page) {}

  /** Wait until the screen matches; the match. */
  async expect(re: RegExp, timeout = 120_000): Promise<RegExpExecArray> {
    try {
      await this.page.waitForFunction(([src, flags]) => new RegExp(src, flags).test(window.vkernel.screen()),
        [re.source, re.flags] as const, { timeout, polling: 100 });
    } catch (e) {
      throw new Error(`tab ${this.name}: terminal never showed ${String(re)} (${String(e).split('\n')[0]}); it shows:\n${(await screen(this.page)).slice(-4000)}\n(ends ${JSON.stringify((await screen(this.page)).slice(-40))})`);
    }
    return re.exec(await screen(this.page))!;
  }

  /**
   * Type a command line; wait for its exit status, printed by an echo whose
   * typed form ($((k+100000))) differs from its output. Returns the status and
   * what the screen gained from the command's line on (echo included).
   */
  async sh(line: string, timeout = 120_000): Promise<{ status: number; out: string }> {
    const k = ++this.n;
    const before = await screen(this.page);
    const from = before.lastIndexOf('\n') + 1;
    await this.page.evaluate((t) => window.vkernel.type(t), `${line}; echo "@$?@ $((${k}+100000))"\r`);
    const m = await this.expect(new RegExp(`@(\\d+)@ ${k + 100000}\\n[^]*${esc(PROMPT.trimEnd())}`), timeout);
    const all = await screen(this.page);
    return { status: Number(m[1]), out: all.slice(from, all.lastIndexOf(`@${m[1]}@ ${k + 100000}`)) };
  }

  /** sh, and the command must succeed. */
  async ok(line: string, timeout = 120_000): Promise<string> {
    const r = await this.sh(line, timeout);
    assert.equal(r.status, 0, `tab ${this.name}: ${line} failed:\n${r.out}`);
    return r.out;
  }
}

/** A fresh context (own library, own locks); boot the world on the room; log in. */
async function bootTab(name: string, netif: string): Promise<{ tab: Tab; addr: string }> {
  const ctx = await browser!.newContext({ viewport: { width: 1600, height: 900 } });
  contexts.push(ctx);
  const page = await ctx.newPage();
  await page.goto(url);
  await page.waitForFunction(() => document.documentElement.dataset.formReady === '1', null, { timeout: 60_000 });
  await page.evaluate((c) => window.vkernel.boot(c), `-m 256m -r /images/root.img -I ${netif}`);
  const tab = new Tab(name, page);
  await tab.expect(/vke0: MAC address: 02(:[0-9a-f]{2}){5}/, BOOT_MS);
  await tab.expect(/DHCPOFFER from 10\.2\.0\.1/, BOOT_MS);
  const bound = await tab.expect(/bound to (10\.2\.\d+\.\d+) -- renewal in \d+ seconds\./, BOOT_MS);
  await tab.expect(/\nlogin: /, BOOT_MS);
  await page.evaluate(() => window.vkernel.type('root\r'));
  await tab.expect(new RegExp(`login: root\\n[^]*${esc(PROMPT.trimEnd())}`), 60_000);
  return { tab, addr: bound[1] };
}

interface RelayStatus {
  rooms: Array<{ name: string; clients: Array<{ origin: string | null }>; leases: Array<{ ip: string; state: string }> }>;
}

/** The relay has the room and only it: both tabs in it (browser sockets: the page's Origin), both leases bound. */
function checkRoom(r: Relay, room: string, addrs: string[]): void {
  const st = r.status() as RelayStatus;
  assert.deepEqual(st.rooms.map((x) => x.name), [room]);
  const origin = new URL(url).origin;
  assert.deepEqual(st.rooms[0].clients.map((c) => c.origin), addrs.map(() => origin));
  assert.deepEqual(st.rooms[0].leases.filter((l) => l.state === 'bound').map((l) => l.ip).sort(), [...addrs].sort());
}

/** Halt both; their sockets close with the kernel, so the relay's room empties. Then close their contexts. */
async function halt(tabs: Tab[], r: Relay, room: string): Promise<void> {
  for (const t of tabs) await t.page.evaluate(() => window.vkernel.type('halt\r'));
  await Promise.all(tabs.map((t) => waitState(t.page, 'halted', 120_000)));
  const clients = (): number => (r.status() as RelayStatus).rooms.find((x) => x.name === room)?.clients.length ?? 0;
  for (const end = Date.now() + 30_000; clients() > 0 && Date.now() < end;) await new Promise((res) => setTimeout(res, 100));
  assert.equal(clients(), 0, 'the halted tabs left the room');
  for (const c of contexts.splice(0)) await c.close();
}

const noWorld = !haveWorld && 'no public/images/root.img (npm run buildworld)';

test('two tabs on one relay room: DHCP, ping, nc with checked bytes, httpd answers fetch',
  { skip: noWorld, timeout: 1_200_000 }, async (t) => {
    const room = `bridge${process.pid}`;
    /* The room as the URL's path, and as -I's address1 after a path-less URL: both reach the same room. */
    const [a, b] = await Promise.all([
      bootTab('A', `${relay!.url}/${room}`),
      bootTab('B', `${relay!.url}/:${room}`),
    ]);
    assert.notEqual(a.addr, b.addr);
    checkRoom(relay!, room, [a.addr, b.addr]);

    for (const x of [a, b]) {
      const ifc = await x.tab.ok('ifconfig vke0');
      assert.match(ifc, new RegExp(`\\s+inet ${esc(x.addr)} netmask 0xffff0000 broadcast 10\\.2\\.255\\.255`), ifc);
      assert.match(ifc, /\s+status: active/, ifc);
    }
    const ping = await a.tab.ok(`ping -c 3 -i 0.5 ${b.addr}`);
    assert.match(ping, /3 packets transmitted, 3 packets received, 0\.0% packet loss/, ping);

    /* nc: B listens, A sends MIB MiB of random bytes from a tmpfs; both sides hash them. */
    for (const x of [a, b]) await x.tab.ok(`mount_tmpfs -s ${MIB + 8}m tmpfs /mnt`);
    await b.tab.ok('nc -l 5001 > /mnt/got & until netstat -an | grep -q "[*][.]5001 .*LISTEN"; do sleep 0.2; done');
    const made = await a.tab.ok(`dd if=/dev/urandom of=/mnt/data bs=65536 count=${MIB * 16} 2>/dev/null; md5 /mnt/data`, 600_000);
    const sent = /MD5 \(\/mnt\/data\) = ([0-9a-f]{32})/.exec(made)?.[1];
    assert.ok(sent, made);
    const t0 = performance.now();
    await a.tab.ok(`nc -N ${b.addr} 5001 < /mnt/data`, 900_000);
    await b.tab.ok('wait', 900_000);
    const secs = (performance.now() - t0) / 1000;
    t.diagnostic(`nc between two tabs: ${MIB} MiB in ${secs.toFixed(1)} s = ${(MIB / secs).toFixed(2)} MiB/s`);
    const got = await b.tab.ok('ls -l /mnt/got; md5 /mnt/got', 600_000);
    assert.match(got, new RegExp(` ${MIB * 1048576} `), got);
    assert.match(got, new RegExp(`MD5 \\(/mnt/got\\) = ${sent}`), got);

    /* httpd in A serves a directory; B fetches a text file and a binary one, both checked. */
    await a.tab.ok('mkdir /mnt/www && cp /etc/rc.conf /mnt/www/ && dd if=/mnt/data of=/mnt/www/blob bs=65536 count=16 2>/dev/null');
    const blob = /MD5 \(\/mnt\/www\/blob\) = ([0-9a-f]{32})/.exec(await a.tab.ok('md5 /mnt/www/blob'))?.[1];
    assert.ok(blob);
    await a.tab.ok('httpd -p 8080 -d /mnt/www 2>/mnt/httpd.log & until netstat -an | grep -q "[*][.]8080 .*LISTEN"; do sleep 0.2; done');
    const page = await b.tab.ok(`fetch -o - http://${a.addr}:8080/rc.conf | grep vke0`);
    assert.match(page, /\nifconfig_vke0="DHCP"\n/, page);
    const fetched = await b.tab.ok(`fetch -o /mnt/blob http://${a.addr}:8080/blob && md5 /mnt/blob`, 300_000);
    assert.match(fetched, new RegExp(`MD5 \\(/mnt/blob\\) = ${blob}`), fetched);
    const missing = await b.tab.sh(`fetch -o - http://${a.addr}:8080/nonexistent`);
    assert.equal(missing.status, 1, missing.out);
    assert.match(missing.out, /Not Found/, missing.out);
    assert.match(await a.tab.ok('cat /mnt/httpd.log'), new RegExp(`${esc(b.addr)} - - \\[.*\\] "GET /blob" 200 1048576`));

    await halt([a.tab, b.tab], relay!, room);
  });

test('-I auto:bridgeN and -I bridgeN are rooms on the relay beside the page (port 8086)',
  { skip: noWorld, timeout: 600_000 }, async (t) => {
    let local: Relay;
    try {
      local = await startRelay({ port: DEFAULT_RELAY_PORT, host: '127.0.0.1', logSink: () => {} });
    } catch (e) {
      t.skip(`port ${DEFAULT_RELAY_PORT} is taken (${(e as Error).message})`);
      return;
    }
    try {
      const room = `bridge${process.pid % 100000}`;
      const [a, b] = await Promise.all([bootTab('A', `auto:${room}`), bootTab('B', room)]);
      assert.notEqual(a.addr, b.addr);
      const ping = await b.tab.ok(`ping -c 3 -i 0.5 ${a.addr}`);
      assert.match(ping, /3 packets transmitted, 3 packets received, 0\.0% packet loss/, ping);
      checkRoom(local, room, [a.addr, b.addr]);

      /* The link follows the page's WebSocket: down when the relay goes, up again when it is back. */
      await local.close();
      await Promise.all([a, b].map((x) => x.tab.expect(/vke0: link state changed to DOWN/, 60_000)));
      local = await startRelay({ port: DEFAULT_RELAY_PORT, host: '127.0.0.1', logSink: () => {} });
      await Promise.all([a, b].map((x) => x.tab.expect(/vke0: link state changed to DOWN[^]*vke0: link state changed to UP/, 120_000)));
      assert.match(await a.tab.ok('ifconfig vke0'), /\s+status: active/);
      const again = await a.tab.ok(`ping -c 2 -i 0.5 ${b.addr}`);
      assert.match(again, /2 packets transmitted, 2 packets received/, again);
      await halt([a.tab, b.tab], local, room);
    } finally {
      await local.close();
    }
  });
