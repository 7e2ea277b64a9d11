// `npm start`: build what the playground needs (the Node bundle, the riscv64 demo
// programs, the world and its disk images), then serve the page cross-origin isolated
// (vite.config.ts sends COOP/COEP) with the relay (vknetd) beside it.
import { createServer } from 'vite';
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildNode } from './build.mjs';
import { buildDemo } from './build-demo.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const host = process.env.HOST ?? '127.0.0.1';
const relayPort = process.env.RELAY_PORT ?? '8086';

await buildNode();
try {
  buildDemo();
  // Incremental: only changed programs rebuild; then public/images/ is repacked.
  const w = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'tools', 'buildworld.ts')], { cwd: root, stdio: 'inherit' });
  if (w.status !== 0) console.warn('buildworld failed: the page can still boot the demo programs');
} catch (e) {
  // Without the cross compiler the page still loads; booting says what is missing.
  console.warn(`riscv64 programs not built (${e.message}); apt-get install gcc-riscv64-linux-gnu`);
}

// The page's `-I auto` follows the relay's port (workers/kernel.worker.ts reads it).
process.env.VITE_RELAY_PORT = relayPort;
const relay = spawn(join(root, 'bin', 'vknetd'), ['-a', host, '-p', relayPort], { stdio: ['ignore', 'inherit', 'inherit'] });
relay.on('exit', (code) => {
  if (code) console.error(`vknetd exited with status ${code}`);
});
const stop = () => {
  relay.kill('SIGTERM');
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

const server = await createServer({ server: { host, port: Number(process.env.PORT ?? 5173) } });
await server.listen();
server.printUrls();
console.log(`  ➜  Relay:   ws://${host}:${relayPort}/`);
