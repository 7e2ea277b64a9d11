// Build steps shared by bin/vkernel, `npm run build` and `npm start`.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Bundle the Node target (kernel core + platform/node) into dist/vkernel.mjs. */
export async function buildNode() {
  await build({
    entryPoints: [join(root, 'platform', 'node', 'main.ts')],
    outfile: join(root, 'dist', 'vkernel.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildNode();
  const { build: viteBuild } = await import('vite');
  await viteBuild({ root, logLevel: 'warn' });
}
