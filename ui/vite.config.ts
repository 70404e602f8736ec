/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// `vite build` makes ui/dist for the Tauri app; `vite build --mode fake` makes
// ui/dist-fake, the same UI over the in-memory fake backend (browser tests, screenshots).
export default defineConfig(({ mode }) => ({
  base: './',
  plugins: [svelte()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    outDir: mode === 'fake' ? 'dist-fake' : 'dist',
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
}));
