// Builds the web app from web/ into web/dist, which the server serves as static files.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

// Large libraries get their own chunks so that a change in app code does not invalidate them in
// browser caches, and no single chunk carries everything. Order is priority: a group also takes in
// the dependencies of its modules, so React must be claimed before antd (which imports it).
const vendorGroups: { name: string; test: RegExp }[] = [
  { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/ },
  { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/ },
  { name: 'antd', test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+|dayjs)[\\/]/ },
  { name: 'vendor', test: /node_modules[\\/]/ },
];

export default defineConfig({
  root: here('.'),
  plugins: [react()],
  resolve: {
    // The server's Zod schemas are the API contract; the app imports them rather than copying them.
    alias: { '@shared': here('../src/modules') },
  },
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    // antd (~860 kB minified, tree-shaken) stays one chunk: splitting it with `maxSize` produced
    // chunks that ran before their dependencies ("Cannot destructure property 'ESC'") in the browser.
    // echarts (~490 kB) loads only with an enterprise profile.
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: vendorGroups.map((g, i) => ({ ...g, priority: vendorGroups.length - i })),
        },
      },
    },
  },
});
