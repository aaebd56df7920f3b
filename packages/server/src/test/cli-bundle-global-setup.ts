// Vitest global setup: bundle the `fieldvault` CLI source once per run, so CLI tests start plain `node` (~0.5 s), not tsx (5–10 s under load).
import { mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute path of the bundled CLI (ESM; npm packages stay external and load from node_modules). */
    cliBundle: string;
  }
}

/** The part of esbuild's API used here (esbuild comes with tsx, our TypeScript runner). */
interface Esbuild {
  build(options: {
    entryPoints: string[];
    outfile: string;
    bundle: true;
    platform: 'node';
    format: 'esm';
    target: string;
    conditions: string[];
    sourcemap: 'inline';
    logLevel: 'error';
    plugins: {
      name: string;
      setup(build: {
        onResolve(
          options: { filter: RegExp },
          callback: (args: { path: string }) => { external: true } | undefined,
        ): void;
      }): void;
    }[];
  }): Promise<unknown>;
}

const serverRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * npm packages stay external (loaded as the real CLI loads them); our workspace packages are bundled from their
 * TypeScript source, as the tests see them. The bundle sits one directory below packages/server, like src/ and
 * dist/, so module-relative defaults (env.ts's PWA dir) resolve as they do for the real CLI.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const require = createRequire(createRequire(import.meta.url).resolve('tsx'));
  const esbuild = require('esbuild') as Esbuild;
  // One file per run: other runs in the same checkout may be bundling or spawning theirs right now.
  await mkdir(path.join(serverRoot, '.tmp'), { recursive: true });
  const outfile = path.join(serverRoot, '.tmp', `fieldvault-cli-${process.pid}.mjs`);
  await esbuild.build({
    entryPoints: [path.join(serverRoot, 'src', 'cli', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['source'],
    sourcemap: 'inline',
    logLevel: 'error',
    plugins: [
      {
        name: 'npm-packages-external',
        setup(build) {
          build.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith('@fieldvault/') ? undefined : { external: true },
          );
        },
      },
    ],
  });
  project.provide('cliBundle', outfile);
  return () => rm(outfile, { force: true });
}
