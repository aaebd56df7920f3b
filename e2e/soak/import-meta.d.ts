// The PWA modules the soak imports read `import.meta.env` (Vite's); vitest defines it at run time, this types it.
interface ImportMetaEnv {
  readonly DEV: boolean;
}
interface ImportMeta {
  readonly env: ImportMetaEnv;
}
