// Builds the web app from web/ into web/dist, which the server serves as static files.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

// Large libraries get their own chunks so that a change in app code does not invalidate them in
// browser caches, and no single chunk carries everything.
const vendorGroups: { name: string; test: RegExp }[] = [
  { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/ },
  { name: 'antd', test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+|dayjs)[\\/]/ },
  { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/ },
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
    // antd alone is ~1 MB minified even after tree-shaking; it is cached separately (see above).
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: vendorGroups.map((g, i) => ({ ...g, priority: vendorGroups.length - i })),
        },
      },
    },
  },
});
