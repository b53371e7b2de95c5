import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The TypeScript client is compiled from its source (clients/ts/src), with this app's one copy
// of @solana/kit: no build of the client first, no second kit in the bundle.
const client = fileURLToPath(new URL('../../clients/ts/src/index.ts', import.meta.url));

export default defineConfig({
  resolve: {
    alias: { '@tributary/client': client },
    dedupe: ['@solana/kit', '@solana/program-client-core'],
  },
  server: { port: 5173 },
  build: { target: 'es2022', chunkSizeWarningLimit: 1024 },
});
