/*
 * The Linux peer harness on its own (test/net/linuxpeer.ts): two network
 * namespaces, each a tap bridged to the same vknetd room, reach the room's
 * gateway and each other with Linux's ping, and move bytes with Linux's nc.
 * This is the yardstick the vkernel's TCP/IP stack is measured against in
 * linux.test.ts.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startRelay, type Relay } from '../../relay/server.ts';
import { linuxPeer, linuxPeerUnavailable, type LinuxPeer } from './linuxpeer.ts';

const why = linuxPeerUnavailable();
const noTools = ['ping', 'nc'].find((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
const skip = why ?? (noTools ? `needs Linux ${noTools}` : false);

let relay: Relay;
let a: LinuxPeer;
let b: LinuxPeer;

before(async () => {
  if (skip) return;
  relay = await startRelay({ port: 0, host: '127.0.0.1', logSink: () => {} });
  a = await linuxPeer(`${relay.url}/linux0`, '10.2.0.201/16');
  b = await linuxPeer(`${relay.url}/linux0`, '10.2.0.202/16');
});

after(async () => {
  await a?.close();
  await b?.close();
  await relay?.close();
});

test('a namespace reaches the room gateway and another namespace: ping', { skip }, async () => {
  const gw = await a.run('ping -c 2 -W 5 10.2.0.1');
  assert.equal(gw.status, 0, gw.stdout + gw.stderr);
  assert.match(gw.stdout, /2 packets transmitted, 2 received/);
  const peer = await a.run('ping -c 2 -W 5 10.2.0.202');
  assert.equal(peer.status, 0, peer.stdout + peer.stderr);
  const arp = await a.run('ip neigh show 10.2.0.202');
  assert.match(arp.stdout, new RegExp(`lladdr ${b.mac}`));
});

test('TCP between the namespaces: 4 MiB through nc, bytes intact', { skip }, async () => {
  const server = b.start('nc -d -l -p 9000 | sha256sum');
  let got = '';
  server.stdout!.on('data', (d: Buffer) => { got += d.toString(); });
  const done = new Promise<void>((r) => server.on('close', () => r()));
  await new Promise((r) => setTimeout(r, 500));
  const sent = await a.run('head -c 4194304 /dev/urandom | tee /tmp/vkpeer-sent.$$ | nc -N -w 10 10.2.0.202 9000; sha256sum < /tmp/vkpeer-sent.$$; rm -f /tmp/vkpeer-sent.$$');
  await done;
  assert.equal(sent.status, 0, sent.stderr);
  assert.equal(got.split(' ')[0], sent.stdout.split(' ')[0]);
});
