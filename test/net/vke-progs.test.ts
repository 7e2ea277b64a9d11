/*
 * The network programs on a machine without vke: lo0 only. They run inside
 * our kernel by default, or under qemu-riscv64 on the host's Linux kernel with
 * WORLD_ORACLE=qemu (the oracle). Only structure is checked, never values that
 * depend on the host (its interfaces, routes, counters).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { cleanup, ensureWorld, expectRun, guestPath, progPath, run, scratch } from '../world/harness.ts';

const PROGS = ['ifconfig', 'route', 'netstat', 'arp', 'ping', 'nc', 'fetch', 'httpd', 'dhclient'];
let dir = '';

before(async () => {
  const r = await ensureWorld();
  for (const p of PROGS) assert.ok(existsSync(progPath(p)), `${p} not built: ${r.errors.join('\n')}`);
  dir = scratch('net');
});
after(() => cleanup(dir));

/*
 * netstat, route and arp read /proc/net; the in-kernel runner does not mount
 * /proc, so mount it first (under qemu that fails quietly: the host's is there).
 */
function runProc(prog: string, args: string[]): ReturnType<typeof run> {
  const script = `mount -t procfs proc /proc 2>/dev/null; exec ${guestPath(prog)} "$@"`;
  return run('sh', ['-c', script, prog, ...args], { exec: true, timeoutMs: 120_000 });
}

/* sh: mount /proc (in our kernel) and wait until something listens on a TCP port. */
const waitListen = (p: string): string =>
  `mount -t procfs proc /proc 2>/dev/null; until ${guestPath('netstat')} -an | grep -q '[*.]${p} .*LISTEN'; do sleep 0.2; done`;

/* A port per run, so parallel test processes and the host do not collide. */
const port = (n: number): string => String(40000 + ((process.pid * 7 + n * 131) % 20000));

describe('network programs', { concurrency: 4 }, () => {
  test('ifconfig -a: the loopback in BSD format', async () => {
    const r = await run('ifconfig', ['-a']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^lo0?: flags=[0-9a-f]+<UP,LOOPBACK,RUNNING[A-Z,]*> metric 0 mtu \d+$/m);
    assert.match(r.stdout, /^\tinet 127\.0\.0\.1 netmask 0xff000000$/m);
    for (const line of r.stdout.split('\n').filter(Boolean)) {
      assert.match(line, /^([a-z]+\d*: flags=|\tinet |\tether |\tstatus: )/, line);
    }
  });

  test('ifconfig -l lists names; unknown interfaces and bad usage fail', async () => {
    const r = await run('ifconfig', ['-l']);
    assert.match(r.stdout, /^([a-z]+\d* )*lo0?( [a-z]+\d*)*\n$/);
    await expectRun('ifconfig', ['vke9'], { stderr: 'ifconfig: interface vke9 does not exist\n', status: 1 });
    await expectRun('ifconfig', ['-z'], { stderr: /^usage: ifconfig/m, status: 1 });
  });

  test('route show and netstat -rn print the BSD table header', async () => {
    for (const [p, a] of [['route', ['show']], ['netstat', ['-rn']]] as const) {
      const r = await runProc(p, [...a]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^Routing tables\n\nInternet:\nDestination +Gateway +Flags +Refs +Use +Netif\n/);
      for (const line of r.stdout.split('\n').slice(4).filter(Boolean)) {
        assert.match(line, /^(default|[\d.]+(\/\d+)?) +([\d.]+|link#\d+) +U[GHRDM]* +\d+ +\d+ +[a-z]+\d*$/, line);
      }
    }
    await expectRun('route', ['frob'], { stderr: /^usage: route/, status: 64 });
    const g = await runProc('route', ['-n', 'get', 'x.y']);
    assert.deepEqual([g.stderr, g.status], ['route: x.y: bad address\n', 1]);
  });

  test('netstat -an, -i and -s', async () => {
    const a = await runProc('netstat', ['-an']);
    assert.equal(a.status, 0, a.stderr);
    assert.match(a.stdout, /^Active Internet connections \(including servers\)\nProto Recv-Q Send-Q Local Address +Foreign Address +\(state\)\n/);
    const i = await runProc('netstat', ['-i']);
    assert.match(i.stdout, /^Name +Mtu +Network +Address +Ipkts +Ierrs +Opkts +Oerrs +Coll +Drop\n/);
    assert.match(i.stdout, /^lo0? +\d+ +<Link#\d+> /m);
    const s = await runProc('netstat', ['-s']);
    assert.match(s.stdout, /^ip:\n(\t\d+ .+\n)+/);
    assert.match(s.stdout, /^udp:\n\t\d+ datagrams received$/m);
  });

  test('arp: no entry for an unknown host; bad usage', async () => {
    const n = await runProc('arp', ['192.0.2.250']);
    assert.deepEqual([n.stdout, n.status], ['192.0.2.250 (192.0.2.250) -- no entry\n', 1], n.stderr);
    await expectRun('arp', ['-d'], { stderr: /^usage: arp/m, status: 1 });
    const r = await runProc('arp', ['-a']);
    assert.equal(r.status, 0, r.stderr);
    for (const line of r.stdout.split('\n').filter(Boolean)) assert.match(line, /^\? \([\d.]+\) at \S+ on \S+/);
  });

  test('ping 127.0.0.1: replies and the BSD summary, exit 0', async () => {
    const r = await run('ping', ['-c', '3', '-i', '0.2', '127.0.0.1'], { timeoutMs: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^PING 127\.0\.0\.1 \(127\.0\.0\.1\): 56 data bytes\n/);
    assert.equal(r.stdout.match(/^64 bytes from 127\.0\.0\.1: icmp_seq=\d ttl=\d+ time=[\d.]+ ms$/gm)?.length, 3);
    assert.match(r.stdout, /\n--- 127\.0\.0\.1 ping statistics ---\n3 packets transmitted, 3 packets received, 0\.0% packet loss\nround-trip min\/avg\/max\/stddev = [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms\n$/);
    await expectRun('ping', ['-c', '0', '127.0.0.1'], { stderr: /invalid count/, status: 64 });
  });

  test('nc moves 1 MiB over TCP through the loopback intact', async () => {
    const data = randomBytes(1 << 20);
    writeFileSync(join(dir, 'in'), data);
    const p = port(1);
    /* The scratch directory has the same path inside the guest (vkrun mounts it there). */
    const inG = join(dir, 'in');
    const script = `${guestPath('nc')} -l 127.0.0.1 ${p} > ${dir}/out & ${waitListen(p)}; ` +
      `${guestPath('nc')} -N 127.0.0.1 ${p} < ${inG}; wait; ${guestPath('cmp')} ${inG} ${dir}/out && echo same`;
    const r = await run('sh', ['-c', script], { exec: true, timeoutMs: 120_000 });
    assert.equal(r.stdout, 'same\n', r.stderr);
  });

  test('nc -u carries a datagram; nc -z reports a closed port', async () => {
    const p = port(3), q = port(4), nc = guestPath('nc');
    const script = `${nc} -u -l 127.0.0.1 ${p} > ${dir}/udp & sleep 1; echo datagram | ${nc} -u -q 1 127.0.0.1 ${p}; ` +
      `sleep 1; kill $! 2>/dev/null; cat ${dir}/udp; ${nc} -z 127.0.0.1 ${q}; echo "z $?"`;
    const r = await run('sh', ['-c', script], { exec: true, timeoutMs: 120_000 });
    assert.equal(r.stdout, 'datagram\nz 1\n', r.stderr);
  });

  test('httpd serves files and listings that fetch retrieves', async () => {
    const p = port(2);
    writeFileSync(join(dir, 'hello.txt'), 'hello, world\n');
    const nc = guestPath('nc'), f = guestPath('fetch'), h = guestPath('httpd');
    const script = `${h} -p ${p} -d ${dir} 2>${dir}/httpd.log & hp=$!; ${waitListen(p)}; ` +
      `${f} -o - http://127.0.0.1:${p}/hello.txt; ${f} -o - http://127.0.0.1:${p}/ | grep -c hello.txt; ` +
      `${f} -o - http://127.0.0.1:${p}/missing; echo "status $?"; ` +
      `printf 'HEAD /hello.txt HTTP/1.0\\r\\n\\r\\n' | ${nc} -w 5 127.0.0.1 ${p} | tr -d '\\r' | grep -E '^(HTTP|Content-Length)'; ` +
      `kill $hp`;
    const r = await run('sh', ['-c', script], { exec: true, timeoutMs: 120_000 });
    assert.equal(r.stdout, 'hello, world\n1\nstatus 1\nHTTP/1.1 200 OK\nContent-Length: 13\n', r.stderr);
    assert.match(r.stderr, /fetch: http:\/\/127\.0\.0\.1:\d+\/missing: Not Found/);
  });

  test('dhclient: clean errors for a missing interface and bad usage', async () => {
    await expectRun('dhclient', ['vke9'], { stderr: 'dhclient: vke9: no such interface\n', status: 1 });
    await expectRun('dhclient', [], { stderr: /^usage: dhclient/m, status: 1 });
  });
});
