// Build steps shared by bin/vkernel, `npm run build` and `npm start`.
import { build } from 'esbuild';
import { renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Bundle the Node target (kernel core + platform/node) into dist/vkernel.mjs. */
export async function buildNode() {
  // Write beside the target and rename, so a vkernel starting meanwhile never
  // imports a half-written bundle.
  const out = join(root, 'dist', 'vkernel.mjs');
  const tmp = `${out}.${process.pid}.tmp.mjs`;
  await build({
    entryPoints: [join(root, 'platform', 'node', 'main.ts')],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // npm packages (ws) load from node_modules at run time: CommonJS inside an ESM bundle cannot require Node's built-ins.
    packages: 'external',
    sourcemap: false,
    logLevel: 'warning',
  });
  renameSync(tmp, out);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildNode();
  const { build: viteBuild } = await import('vite');
  await viteBuild({ root, logLevel: 'warn' });
}
