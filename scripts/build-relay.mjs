// Bundle the relay (relay/main.ts) into dist/vknetd.mjs for bin/vknetd.
// `ws` stays external: it is a runtime dependency in node_modules.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function buildRelay() {
  await build({
    entryPoints: [join(root, 'relay', 'main.ts')],
    outfile: join(root, 'dist', 'vknetd.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await buildRelay();
