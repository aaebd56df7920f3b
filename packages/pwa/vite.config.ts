// Vite build of the PWA: React, the injectManifest service worker (src/sw/sw.ts → dist/sw.js), the web manifest.
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const API_TARGET = 'http://127.0.0.1:8080';

export default defineConfig({
  // `source` makes @fieldvault/shared/* resolve to its TypeScript, so the PWA never waits for shared's build.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  plugins: [
    react(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/sw',
      filename: 'sw.ts',
      // src/main.tsx registers through workbox-window and shows its own update prompt.
      registerType: 'prompt',
      injectRegister: false,
      // The glob below already takes every icon; the plugin's own icon entries would duplicate them.
      includeManifestIcons: false,
      injectManifest: {
        // manifest.webmanifest is added by the plugin itself; listing it here would precache it twice.
        globPatterns: ['**/*.{js,css,html,png,svg,ico}'],
      },
      manifest: {
        id: '/',
        name: 'FieldVault',
        short_name: 'FieldVault',
        description:
          'Capture receipts offline; they upload by themselves when the network is back.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        theme_color: '#0f5c4d',
        background_color: '#f6f7f6',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          {
            src: '/icons/maskable-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
        ],
      },
      // The dev server cannot serve the injectManifest worker; offline behaviour is tested on the build.
      devOptions: { enabled: false },
    }),
  ],
  server: {
    host: '127.0.0.1',
    proxy: { '/trpc': API_TARGET, '/storage': API_TARGET },
  },
  preview: { host: '127.0.0.1' },
  build: { sourcemap: true },
});
