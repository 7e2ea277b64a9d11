import { defineConfig } from 'vite';

// SharedArrayBuffer needs cross-origin isolation: every server we run sends COOP/COEP.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export default defineConfig({
  // warmup: transform the page and the kernel worker while the browser is still starting.
  server: { headers: isolation, warmup: { clientFiles: ['./src/main.tsx', './workers/kernel.worker.ts'] } },
  preview: { headers: isolation },
  worker: { format: 'es' },
  // Pre-bundle every dependency up front: a dependency found late makes the dev server
  // reload the page, which would cut a running kernel (and an e2e test) short.
  optimizeDeps: {
    entries: ['index.html', 'workers/kernel.worker.ts'],
    include: ['react', 'react-dom/client', 'react/jsx-runtime', 'react/jsx-dev-runtime', 'comlink', '@xterm/xterm', '@xterm/addon-fit'],
  },
  build: { target: 'es2022', outDir: 'dist/web' },
});
