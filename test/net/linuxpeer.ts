/*
 * Linux's own network stack as a peer on a vknetd room (issue [net]: "the
 * test that proves the TCP/IP stack is real"): a network namespace made by
 * unshare(1) with a tap device, joined to the room through tapbridge (a
 * small host C program: the tap ⇄ a unix socket) and this process (the unix
 * socket ⇄ the room's WebSocket, one message per frame). Commands run inside
 * the namespace with nsenter(1), so Linux's ping, nc and curl talk to the
 * guests as another machine on the segment would.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { REPO } from '../../tools/buildworld.ts';

const SRC = join(REPO, 'test', 'net', 'c', 'tapbridge.c');
const BIN = join(REPO, 'build', 'net', 'tapbridge');
const GATEWAY_MAC = [0x02, 0x76, 0x6b, 0x6e, 0x65, 0x74];
const KEEPALIVE_MS = 20_000;

/** Why a Linux peer cannot be made here, or null when it can. */
export function linuxPeerUnavailable(): string | null {
  for (const tool of ['unshare', 'nsenter', 'ip', 'gcc']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `needs ${tool}`;
  }
  if (!existsSync('/dev/net/tun')) return 'needs /dev/net/tun';
  const probe = spawnSync('unshare', ['--user', '--map-root-user', '--net', 'ip', 'tuntap', 'add', 'dev', 'probe0', 'mode', 'tap']);
  return probe.status === 0 ? null : `cannot make a tap in a network namespace: ${probe.stderr.toString().trim()}`;
}

function buildBridge(): string {
  if (existsSync(BIN) && statSync(BIN).mtimeMs >= statSync(SRC).mtimeMs) return BIN;
  mkdirSync(join(REPO, 'build', 'net'), { recursive: true });
  const tmp = `${BIN}.${process.pid}`;
  const cc = spawnSync('gcc', ['-O2', '-Wall', '-o', tmp, SRC], { encoding: 'utf8' });
  if (cc.status !== 0) throw new Error(`building tapbridge: ${cc.stderr}`);
  spawnSync('mv', [tmp, BIN]);
  return BIN;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  status: number | null;
}

export interface LinuxPeer {
  /** The namespace's tap MAC, as Linux reports it. */
  mac: string;
  /** Run a shell command inside the namespace. */
  run(cmd: string, timeoutMs?: number): Promise<RunResult>;
  /** Start one that keeps running (a server); kill it with .kill(). */
  start(cmd: string): ChildProcess;
  close(): Promise<void>;
}

/** Frames between a unix stream (2-byte length, frame) and a WebSocket room. */
function relayFrames(sock: Socket, ws: WebSocket): void {
  let buf = Buffer.alloc(0);
  sock.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    while (buf.length >= 2) {
      const len = buf.readUInt16BE(0);
      if (buf.length < 2 + len) break;
      if (ws.readyState === WebSocket.OPEN) ws.send(buf.subarray(2, 2 + len));
      buf = buf.subarray(2 + len);
    }
  });
  ws.on('message', (data: Buffer) => {
    const head = Buffer.alloc(2);
    head.writeUInt16BE(data.length);
    sock.write(Buffer.concat([head, data]));
  });
  sock.on('error', () => ws.close());
  sock.on('close', () => ws.close());
  ws.on('close', () => sock.destroy());
}

/**
 * A namespace whose tap0 carries addr (e.g. "10.2.0.200/16") on the room
 * at relayUrl (ws://host:port/room).
 */
export async function linuxPeer(relayUrl: string, addr: string): Promise<LinuxPeer> {
  const bridge = buildBridge();
  const path = join(tmpdir(), `vkpeer-${process.pid}-${Date.now()}.sock`);
  const ws = new WebSocket(relayUrl);
  ws.binaryType = 'nodebuffer';
  await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
  let sockConn: Socket | null = null;
  const server: Server = createServer((sock) => { sockConn = sock; relayFrames(sock, ws); });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const script = [
    'ip link set lo up',
    `${bridge} tap0 ${path} &`,
    'for i in $(seq 100); do ip link show tap0 >/dev/null 2>&1 && break; sleep 0.05; done',
    `ip addr add ${addr} dev tap0`,
    'ip link set tap0 up',
    /* sysfs still shows the host's namespace: ask ip(8) for the MAC. */
    'echo "pid $$ mac $(ip -o link show tap0 | sed -n \'s/.*link\\/ether \\([0-9a-f:]*\\).*/\\1/p\')"',
    'wait',
  ].join('\n');
  const ns = spawn('unshare', ['--user', '--map-root-user', '--net', 'sh', '-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  const { pid, mac } = await new Promise<{ pid: number; mac: string }>((resolve, reject) => {
    let out = '', err = '';
    ns.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /pid (\d+) mac (\S+)/.exec(out);
      if (m) resolve({ pid: Number(m[1]), mac: m[2] });
    });
    ns.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
    ns.once('exit', (code) => reject(new Error(`network namespace setup failed (${code}): ${err}`)));
    setTimeout(() => reject(new Error(`network namespace setup timed out: ${out}${err}`)), 20_000);
  });
  /* A quiet port would age out of the relay's table and be closed as idle. */
  const macBytes = Buffer.from(mac.split(':').map((h) => parseInt(h, 16)));
  const keepalive = Buffer.concat([Buffer.from(GATEWAY_MAC), macBytes, Buffer.from([0x88, 0xb5])]);
  const timer = setInterval(() => { if (ws.readyState === WebSocket.OPEN) ws.send(keepalive); }, KEEPALIVE_MS);
  ws.send(keepalive);
  const nsenter = (cmd: string): string[] => ['-t', String(pid), '--user', '--net', '--preserve-credentials', 'sh', '-c', cmd];
  return {
    mac,
    run(cmd, timeoutMs = 60_000) {
      return new Promise((resolve) => {
        const child = spawn('nsenter', nsenter(cmd), { stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '', stderr = '';
        child.stdout.on('data', (d: Buffer) => { stdout += d.toString('latin1'); });
        child.stderr.on('data', (d: Buffer) => { stderr += d.toString('latin1'); });
        const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        child.on('close', (status) => { clearTimeout(t); resolve({ stdout, stderr, status }); });
      });
    },
    start(cmd) {
      return spawn('nsenter', nsenter(cmd), { stdio: ['ignore', 'pipe', 'pipe'] });
    },
    async close() {
      clearInterval(timer);
      ns.kill('SIGKILL');
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
      (sockConn as Socket | null)?.destroy();
      ws.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(path, { force: true });
    },
  };
}
