// `npm start`: build what the playground needs (the Node bundle, the riscv64 demo programs),
// then serve it cross-origin isolated (vite.config.ts sends COOP/COEP).
import { createServer } from 'vite';
import { buildNode } from './build.mjs';
import { buildDemo } from './build-demo.mjs';

await buildNode();
try {
  buildDemo();
} catch (e) {
  // Without the cross compiler the page still loads; booting the demo says what is missing.
  console.warn(`demo programs not built (${e.message}); apt-get install gcc-riscv64-linux-gnu`);
}
const server = await createServer({ server: { host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 5173) } });
await server.listen();
server.printUrls();
