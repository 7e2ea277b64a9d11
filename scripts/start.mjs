// `npm start`: build what the playground needs, then serve the page (cross-origin
// isolated) with the relay (vknetd) beside it.
import { createServer } from 'vite';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildNode } from './build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const host = process.env.HOST ?? '127.0.0.1';
const relayPort = process.env.RELAY_PORT ?? '8086';

await buildNode();
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
