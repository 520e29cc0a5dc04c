/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const backend = process.env.CHAT_BACKEND_URL ?? 'http://localhost:5000';

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: {
    proxy: {
      // Sign-in: the session cookie and the antiforgery token stay same-origin through the proxy.
      '/antiforgery': backend,
      '/account': backend,
      '/logout': backend,
      '/login': backend,
      '/token': backend,
      '/health': backend,
      // GET /rooms, the /rooms/events stream (SSE), POST /rooms/join and /rooms/leave.
      '/rooms': backend,
      '/private-conversations': backend,
      '/emulator': { target: backend, ws: true, changeOrigin: true },
    },
  },
  build: {
    // The web host builds the client straight into its wwwroot.
    outDir: process.env.CLIENT_OUT_DIR ?? 'dist',
    emptyOutDir: true,
    // The Twilio SDK is a lazily loaded chunk of its own, only fetched in Twilio mode.
    chunkSizeWarningLimit: 700,
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/testing/setup-tests.ts'],
    css: false,
    restoreMocks: true,
    // Guards on a hang, not claims about speed: on a loaded 2-core machine a rendering test took over the default 5 s.
    testTimeout: 30_000,
  },
});
