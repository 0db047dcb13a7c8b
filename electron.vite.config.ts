import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // ESM-only packages that import electron: bundled rather than required at run time
      externalizeDeps: { exclude: ['electron-store', 'conf'] },
      rollupOptions: {
        // the CSV import's worker thread, emitted beside main.js (csv-import-worker.js)
        input: { main: resolve('src-main/electron-main/main.ts'), 'csv-import-worker': resolve('src-main/node/csv/csv-import-worker.ts') },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // a sandboxed preload cannot load ES modules nor require from node_modules
      externalizeDeps: false,
      rollupOptions: {
        input: { preload: resolve('src-main/preload/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src-renderer'),
    plugins: [react()],
    build: {
      outDir: resolve('out/renderer'),
      rollupOptions: {
        input: { index: resolve('src-renderer/index.html') },
      },
    },
  },
});
