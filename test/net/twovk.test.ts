/*
 * Two bin/vkernel processes on one relay room, end to end: both boot the
 * world (rc runs dhclient for vke0 and the relay's DHCP server answers), log
 * in on their consoles, ping each other and the gateway, move data with nc
 * (checked by MD5 on both sides) and fetch a file from httpd in the other.
 *
 * The root is the world's staging tree over hostfs (read-only; /tmp is a
 * tmpfs), which both kernels can share. TWOVK_MIB=64 moves 64 MiB instead of 1.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { buildWorld, REPO } from '../../tools/buildworld.ts';
import { installEtc } from '../../tools/world_etc.ts';
import { stageWorld } from '../world/scriptboot.ts';
import { startRelay, type Relay } from '../../relay/index.ts';

const ROOT = join(REPO, 'build', 'world', 'root');
const VKERNEL = join(REPO, 'bin', 'vkernel');
const MIB = Number(process.env.TWOVK_MIB ?? '1');
const PROMPT = 'root@vkernel:~ # ';

/** A hard-linked copy of the world root with some files replaced. */
function stage(dst: string, files: Record<string, string>): string {
  const staged = Object.fromEntries(Object.entries(files).map(([rel, text]) => [rel, { text, mode: 0o644 }]));
  return stageWorld(dirname(dst), staged, basename(dst));
}

class Console {
  readonly child: ChildProcess;
  out = '';
  private mark = 0;
  private waiters: Array<() => void> = [];

  constructor(args: string[], cwd: string, root = ROOT) {
    const env = { ...process.env };
    delete env.VKERNEL_QUIET;
    this.child = spawn(process.execPath, [VKERNEL, '-m', '256m', '-e', `vfs.root.mountfrom=hostfs:${root}`,
      '-e', 'init_path=/sbin/init', ...args], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const take = (b: Buffer): void => {
      this.out += b.toString('latin1').replace(/\r/g, '');
      for (const w of this.waiters.splice(0)) w();
    };
    this.child.stdout!.on('data', take);
    this.child.stderr!.on('data', take);
    this.child.stdin!.on('error', () => {});
    this.child.on('exit', () => { for (const w of this.waiters.splice(0)) w(); });
  }

  /** Wait for a pattern after the cursor; returns the match (the cursor moves past it). */
  async expect(want: string | RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
    const re = typeof want === 'string' ? new RegExp(want.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : want;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = re.exec(this.out.slice(this.mark));
      if (m) {
        this.mark += m.index + m[0].length;
        return m;
      }
      const left = deadline - Date.now();
      if (left <= 0 || this.child.exitCode !== null) {
        assert.fail(`console: no ${String(re)} within ${timeoutMs} ms; it said:\n${this.out.slice(-3000)}`);
      }
      await new Promise<void>((res) => {
        const t = setTimeout(res, Math.min(left, 500));
        this.waiters.push(() => { clearTimeout(t); res(); });
      });
    }
  }

  /** Type a command line and wait for the next prompt; returns what it printed. */
  async sh(line: string, timeoutMs = 60_000): Promise<string> {
    const start = this.out.length;
    this.child.stdin!.write(`${line}\n`);
    await this.expect(PROMPT, timeoutMs);
    const text = this.out.slice(start, this.mark - PROMPT.length);
    return text.slice(text.indexOf('\n') + 1); /* without the echoed command */
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

let relay: Relay;
let work = '';
const STAGE = join(REPO, 'build', `twovk-${process.pid}`);
const consoles: Console[] = [];

before(async () => {
  const r = await buildWorld({ jobs: 2 });
  for (const p of ['sbin/init', 'sbin/ifconfig', 'sbin/dhclient', 'sbin/ping', 'usr/bin/nc', 'usr/bin/fetch', 'usr/sbin/httpd']) {
    assert.ok(existsSync(join(ROOT, p)), `${p} not built: ${r.errors.join('\n')}`);
  }
  installEtc(ROOT);
  relay = await startRelay({ port: 0, host: '127.0.0.1', logSink: () => {} });
  work = mkdtempSync(join(tmpdir(), 'twovk-'));
});

after(async () => {
  for (const c of consoles) {
    c.kill();
    if (process.env.TWOVK_LOG) process.stderr.write(`\n----- console -----\n${c.out}`);
  }
  await relay?.close();
  rmSync(STAGE, { recursive: true, force: true });
  if (work) rmSync(work, { recursive: true, force: true });
});

async function bootOne(room: string, name: string): Promise<{ c: Console; addr: string }> {
  const c = new Console(['-I', `${relay.url}/${room}`], work);
  consoles.push(c);
  await c.expect(/vke0: MAC address: 02(:[0-9a-f]{2}){5}\n/);
  await c.expect('DHCPDISCOVER on vke0 to 255.255.255.255 port 67', 120_000);
  await c.expect('DHCPOFFER from 10.2.0.1');
  const m = await c.expect(/bound to (10\.2\.\d+\.\d+) -- renewal in \d+ seconds\./);
  await c.expect('login: ', 120_000);
  c.child.stdin!.write('root\n');
  await c.expect(PROMPT);
  assert.ok(m[1], name);
  return { c, addr: m[1] };
}

describe('two vkernels on one relay room', () => {
  test('DHCP, ping, nc and httpd/fetch between them', { timeout: 900_000 }, async () => {
    const room = `twovk${process.pid}`;
    const [a, b] = await Promise.all([bootOne(room, 'a'), bootOne(room, 'b')]);
    assert.notEqual(a.addr, b.addr);

    const ifc = await a.c.sh('ifconfig vke0');
    assert.match(ifc, /^vke0: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500\n/);
    assert.match(ifc, new RegExp(`\\tinet ${a.addr.replace(/\./g, '\\.')} netmask 0xffff0000 broadcast 10\\.2\\.255\\.255\\n`));
    assert.match(ifc, /\tstatus: active\n/);
    const rt = await a.c.sh('netstat -rn');
    assert.match(rt, /^default +10\.2\.0\.1 +UG/m);
    assert.match(rt, /^10\.2\/16 +link#[1-9]\d* +U /m);
    assert.match(await a.c.sh('route -n get 10.2.0.1'), /destination: 10\.2\.0\.0\n +mask: 255\.255\.0\.0\n +interface: vke0\n/);

    assert.match(await a.c.sh(`ping -c 3 -i 0.5 ${b.addr}; echo "ping $?"`, 120_000),
      /3 packets transmitted, 3 packets received, 0\.0% packet loss\n.*\nping 0\n/);
    assert.match(await b.c.sh('ping -c 2 -i 0.5 10.2.0.1; echo "ping $?"', 120_000), /2 packets received.*\n.*\nping 0\n/);
    assert.match(await a.c.sh(`arp -a`), new RegExp(`\\? \\(${b.addr.replace(/\./g, '\\.')}\\) at 02(:[0-9a-f]{2}){5} on vke0`));

    /* nc: B listens, A sends MIB MiB of random bytes; both sides hash them. */
    /* Wait until the listener is there (under load, a fixed sleep may be too short). */
    const listening = (port: number): string => `until netstat -an | grep -q '[*][.]${port} .*LISTEN'; do sleep 0.2; done`;
    await b.c.sh(`nc -l 5001 > /tmp/got & ${listening(5001)}`, 120_000);
    await a.c.sh(`dd if=/dev/urandom of=/tmp/data bs=65536 count=${MIB * 16} 2>/dev/null; md5 /tmp/data`, 300_000);
    const sent = /MD5 \(\/tmp\/data\) = ([0-9a-f]{32})/.exec(a.c.out)?.[1];
    assert.ok(sent, 'md5 of the data');
    await a.c.sh(`nc -N ${b.addr} 5001 < /tmp/data; echo "nc $?"`, 600_000);
    await b.c.sh('wait', 600_000);
    const got = await b.c.sh('ls -l /tmp/got; md5 /tmp/got', 300_000);
    assert.match(got, new RegExp(` ${MIB * 1048576} `), got);
    assert.match(got, new RegExp(`MD5 \\(/tmp/got\\) = ${sent}`));

    /* httpd in B serves its /etc; A fetches a file from it. */
    await b.c.sh(`httpd -p 8080 -d /etc 2>/tmp/httpd.log & ${listening(8080)}`, 120_000);
    assert.match(await b.c.sh('netstat -an'), /^tcp4 +\d+ +\d+ \*\.8080 +\*\.\* +LISTEN$/m);
    assert.match(await b.c.sh('netstat -i'), /^vke0 +1500 +<Link#[1-9]\d*> +02(:[0-9a-f]{2}){5} +[1-9]\d* +\d+ +[1-9]\d* /m);
    const page = await a.c.sh(`fetch -o - http://${b.addr}:8080/rc.conf; echo "fetch $?"`, 120_000);
    assert.match(page, /ifconfig_vke0="DHCP"\n(.*\n)*fetch 0\n/);
    assert.match(await a.c.sh(`fetch -o - http://${b.addr}:8080/nonexistent; echo "fetch $?"`, 120_000), /Not Found\nfetch 1\n/);
    assert.match(await b.c.sh('cat /tmp/httpd.log'), new RegExp(`${a.addr.replace(/\./g, '\\.')} - - \\[.*\\] "GET /rc.conf" 200 \\d+`));

    for (const x of [a, b]) x.c.child.stdin!.write('halt\n');
    await Promise.all([a, b].map((x) => x.c.expect('The operating system has halted.', 120_000)));
  });

  test('-I address2/netmask is assigned at the first ifconfig up; ifconfig sets and clears', { timeout: 300_000 }, async () => {
    const root = stage(STAGE, {
      'etc/rc.conf': 'hostname="vkernel"\nnetwork_interfaces="lo0 vke0"\nifconfig_vke0="up"\n',
    });
    const c = new Console(['-I', `${relay.url}/static${process.pid}:0.0.0.0:10.2.0.77/16`], work, root);
    consoles.push(c);
    await c.expect('Starting network: lo0 vke0.', 120_000);
    await c.expect('login: ', 120_000);
    c.child.stdin!.write('root\n');
    await c.expect(PROMPT);
    assert.match(await c.sh('ifconfig vke0'), /\tinet 10\.2\.0\.77 netmask 0xffff0000 broadcast 10\.2\.255\.255\n/);
    assert.match(await c.sh('ping -c 1 10.2.0.1; echo "ping $?"', 120_000), /1 packets received.*\n(.*\n)*ping 0\n/);
    const set = await c.sh('ifconfig vke0 10.2.0.78/16 && ifconfig vke0');
    assert.match(set, /\tinet 10\.2\.0\.78 netmask 0xffff0000 broadcast 10\.2\.255\.255\n/);
    assert.match(await c.sh('ifconfig vke0 down && ifconfig vke0'), /^vke0: flags=8842<BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500\n/);
    assert.match(await c.sh('ping -c 1 -W 1000 10.2.0.1; echo "ping $?"', 120_000), /ping 2\n/);
    assert.match(await c.sh('ifconfig vke0 up && route add default 10.2.0.1 && netstat -rn'), /^default +10\.2\.0\.1 +UG/m);
    assert.match(await c.sh('route delete default; netstat -rn | grep -c default'), /^0\n/m);
    assert.equal(await c.sh('sysctl -n hw.vke0.tap_unit hw.vke.max_ringsize'), '-1\n256\n');
    c.child.stdin!.write('halt\n');
    await c.expect('The operating system has halted.', 120_000);
  });

  test('dhclient stays in the background and renews the lease at T1', { timeout: 300_000 }, async () => {
    const short = await startRelay({ port: 0, host: '127.0.0.1', logSink: () => {}, leaseSeconds: 12 });
    try {
      const c = new Console(['-I', `${short.url}/renew${process.pid}`], work);
      consoles.push(c);
      const m = await c.expect(/bound to (10\.2\.\d+\.\d+) -- renewal in 6 seconds\./, 120_000);
      /* T1 later: a unicast REQUEST to the server, its ACK, and the same address again. */
      await c.expect('DHCPREQUEST on vke0 to 10.2.0.1 port 67', 120_000);
      await c.expect('DHCPACK from 10.2.0.1', 60_000);
      await c.expect(`bound to ${m[1]} -- renewal in 6 seconds.`, 60_000);
      c.child.stdin!.write('root\n');
      await c.expect(PROMPT, 60_000);
      assert.match(await c.sh('ps ax | grep -c "[d]hclient vke0"'), /^1\n/m);
      assert.match(await c.sh('ifconfig vke0'), new RegExp(`\\tinet ${m[1].replace(/\./g, '\\.')} netmask 0xffff0000`));
      c.child.stdin!.write('halt\n');
      await c.expect('The operating system has halted.', 120_000);
    } finally {
      await short.close();
    }
  });

  test('the link follows the relay: down when it stops, up and working when it is back', { timeout: 300_000 }, async () => {
    let r2 = await startRelay({ port: 0, host: '127.0.0.1', logSink: () => {} });
    const port = r2.port;
    try {
      const root = stage(`${STAGE}-link`, {
        'etc/rc.conf': 'hostname="vkernel"\nnetwork_interfaces="lo0 vke0"\nifconfig_vke0="up"\n',
      });
      const c = new Console(['-I', `ws://127.0.0.1:${port}/link:0.0.0.0:10.2.0.88/16`], work, root);
      consoles.push(c);
      await c.expect('login: ', 120_000);
      c.child.stdin!.write('root\n');
      await c.expect(PROMPT);
      assert.match(await c.sh('ping -c 1 10.2.0.1; echo "ping $?"', 120_000), /ping 0\n/);
      await r2.close();
      await c.expect('vke0: link state changed to DOWN', 60_000);
      assert.match(await c.sh('ifconfig vke0'), /^vke0: flags=8803<UP,BROADCAST,SIMPLEX,MULTICAST> .*\n(.*\n)*\tstatus: no carrier\n/);
      r2 = await startRelay({ port, host: '127.0.0.1', logSink: () => {} });
      await c.expect('vke0: link state changed to UP', 120_000);
      assert.match(await c.sh('ifconfig vke0 | grep status'), /\tstatus: active\n/);
      assert.match(await c.sh('ping -c 1 10.2.0.1; echo "ping $?"', 120_000), /1 packets received.*\n(.*\n)*ping 0\n/);
      c.child.stdin!.write('halt\n');
      await c.expect('The operating system has halted.', 120_000);
    } finally {
      await r2.close();
      rmSync(`${STAGE}-link`, { recursive: true, force: true });
    }
  });

  test('a reboot re-attaches vke0 to the same relay connection with the same MAC', { timeout: 300_000 }, async () => {
    const root = stage(`${STAGE}-reboot`, {
      'etc/rc.conf': 'hostname="vkernel"\nnetwork_interfaces="lo0 vke0"\nifconfig_vke0="up"\n',
    });
    try {
      const c = new Console(['-I', `${relay.url}/reboot${process.pid}:0.0.0.0:10.2.0.99/16`], work, root);
      consoles.push(c);
      const mac = (await c.expect(/vke0: MAC address: (02(:[0-9a-f]{2}){5})\n/))[1];
      await c.expect('login: ', 120_000);
      c.child.stdin!.write('root\n');
      await c.expect(PROMPT);
      c.child.stdin!.write('reboot\n');
      await c.expect('cpu reset, rebooting vkernel', 120_000);
      await c.expect(`vke0: MAC address: ${mac}\n`, 120_000);
      await c.expect('login: ', 120_000);
      c.child.stdin!.write('root\n');
      await c.expect(PROMPT);
      assert.match(await c.sh('ifconfig vke0 | grep status'), /\tstatus: active\n/);
      assert.match(await c.sh('ping -c 1 10.2.0.1; echo "ping $?"', 120_000), /1 packets received.*\n(.*\n)*ping 0\n/);
      c.child.stdin!.write('halt\n');
      await c.expect('The operating system has halted.', 120_000);
    } finally {
      rmSync(`${STAGE}-reboot`, { recursive: true, force: true });
    }
  });
});
