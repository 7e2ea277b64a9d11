/*
 * Linux's own network stack as the peer (issue [net]: "the test that proves
 * the TCP/IP stack is real"): the world boots from a copy of root.img with
 * -I on a relay room, rc gets vke0 an address by DHCP, and a network
 * namespace on the same room (test/net/linuxpeer.ts) pings the guest and
 * exchanges TCP data with it both ways with Linux's nc, then fetches a page
 * from the guest's httpd with curl.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRelay, type Relay } from '../../relay/server.ts';
import { REPO } from '../../tools/buildworld.ts';
import { noScript, shellLine, terminal, type Term } from '../world/pty.ts';
import { linuxPeer, linuxPeerUnavailable, type LinuxPeer } from './linuxpeer.ts';

const IMAGE = join(REPO, 'public', 'images', 'root.img');
const LINUX_IP = '10.2.0.250';
const missing = ['ping', 'nc', 'curl', 'sha256sum'].find((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
const skip = noScript ? 'needs script(1)' : !existsSync(IMAGE) ? 'needs the world image: npm run buildworld'
  : linuxPeerUnavailable() ?? (missing ? `needs Linux ${missing}` : false);

let relay: Relay;
let linux: LinuxPeer;
let guest: Term;
let guestIp = '';
let dir = '';

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'vk-linux-'));
  relay = await startRelay({ port: 0, host: '127.0.0.1', logSink: () => {} });
  const room = `${relay.url}/linuxpeer`;
  linux = await linuxPeer(room, `${LINUX_IP}/16`);
  copyFileSync(IMAGE, join(dir, 'root.img'));
  guest = terminal(['-m', '128m', '-i', join(dir, 'memimg'), '-r', join(dir, 'root.img'), '-I', room], dir);
  await guest.until(/login: $/, 0, 120_000);
  guest.type('root\r');
  await guest.until(/root@\S+:~ # $/);
  const ifc = await shellLine(guest, 'ifconfig vke0');
  const m = /\n\tinet (10\.2\.\d+\.\d+) netmask/.exec(ifc);
  assert.ok(m, `vke0 has a DHCP address:\n${ifc}`);
  guestIp = m[1];
});

after(async () => {
  if (guest) {
    guest.type('halt\r');
    await Promise.race([guest.exited, new Promise((r) => setTimeout(r, 30_000))]);
    guest.kill();
  }
  await linux?.close();
  await relay?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('Linux pings the guest, and the guest pings Linux', { skip, timeout: 120_000 }, async () => {
  const r = await linux.run(`ping -c 3 -W 5 ${guestIp}`);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /3 packets transmitted, 3 received/);
  const out = await shellLine(guest, `ping -c 2 ${LINUX_IP}`, 60_000);
  assert.match(out, /2 packets transmitted, 2 packets received, 0\.0% packet loss/);
});

test('TCP from Linux to the guest: 2 MiB through nc, checksums agree', { skip, timeout: 240_000 }, async () => {
  guest.type('nc -l 7000 > /tmp/from-linux &\r');
  await guest.until(/\[\d+\] \d+\n[^]*# $/, guest.text().length - 200);
  await new Promise((r) => setTimeout(r, 1000));
  const sent = await linux.run(
    `head -c 2097152 /dev/urandom > /tmp/vkl.$$ && nc -N -w 30 ${guestIp} 7000 < /tmp/vkl.$$; sha256sum < /tmp/vkl.$$; rm -f /tmp/vkl.$$`, 180_000);
  assert.equal(sent.status, 0, sent.stderr);
  const out = await shellLine(guest, 'wait; sha256 -q /tmp/from-linux', 120_000);
  assert.match(out, new RegExp(`\\n${sent.stdout.split(' ')[0]}\\n`));
});

test('TCP from the guest to Linux: 2 MiB through nc, checksums agree', { skip, timeout: 240_000 }, async () => {
  const server = linux.start('nc -d -l -p 7001 | sha256sum');
  let got = '';
  server.stdout!.on('data', (d: Buffer) => { got += d.toString(); });
  const done = new Promise<void>((r) => server.on('close', () => r()));
  await new Promise((r) => setTimeout(r, 1000));
  const out = await shellLine(guest,
    `dd if=/dev/urandom of=/tmp/to-linux bs=64k count=32 2>/dev/null; nc -N ${LINUX_IP} 7001 < /tmp/to-linux; sha256 -q /tmp/to-linux`, 180_000);
  await done;
  const sum = /\n([0-9a-f]{64})\n/.exec(out);
  assert.ok(sum, out);
  assert.equal(got.split(' ')[0], sum[1]);
});

test('curl on Linux fetches a file from httpd in the guest', { skip, timeout: 120_000 }, async () => {
  await shellLine(guest, 'mkdir -p /tmp/www && echo "served by the vkernel" > /tmp/www/hello.txt');
  guest.type('httpd -p 8080 -d /tmp/www &\r');
  await new Promise((r) => setTimeout(r, 1500));
  const r = await linux.run(`curl -s -m 30 -i http://${guestIp}:8080/hello.txt`);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^HTTP\/1\.[01] 200/);
  assert.match(r.stdout, /\r\n\r\nserved by the vkernel\n$/);
  const missingPage = await linux.run(`curl -s -o /dev/null -w '%{http_code}' -m 30 http://${guestIp}:8080/nope`);
  assert.equal(missingPage.stdout, '404');
});
