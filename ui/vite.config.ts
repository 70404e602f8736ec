/// <reference types="vitest/config" />
import { defineConfig, loadEnv } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { licenceNotice } from './licences.mjs';

// `vite build` makes ui/dist: the Tauri app's UI, which the UI's development server
// (crates/cxm-dev-server) also serves to the browser tests. `vite` (npm run dev) is the
// app's devUrl; with CXM_DEV_SERVER set to a running development server's address it
// also passes `/api` to it, so http://localhost:5173/?token=… runs on the real backend.
// `licenceNotice` (licences.mjs) checks the licences of the npm packages bundled into
// ui/dist against packaging/licences/about.toml and writes dist/licences-npm.json.
export default defineConfig(({ mode }) => {
  const devServer = loadEnv(mode, '.', 'CXM_').CXM_DEV_SERVER;
  return {
    base: './',
    plugins: [svelte(), licenceNotice()],
    clearScreen: false,
    server: {
      port: 5173,
      strictPort: true,
      proxy: devServer ? { '/api': { target: devServer, changeOrigin: true } } : undefined,
    },
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      target: 'es2022',
      // Fonts and other assets stay files: the CSP allows 'self', never data: fonts.
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
    },
    test: {
      include: ['src/**/*.test.ts'],
      environment: 'node',
    },
  };
});
