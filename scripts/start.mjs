// `npm start`: build what the playground needs, then serve it (cross-origin isolated).
import { createServer } from 'vite';
import { buildNode } from './build.mjs';

await buildNode();
const server = await createServer({ server: { host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 5173) } });
await server.listen();
server.printUrls();
