// `pnpm bench` for the server: runs each suite in turn and prints its results as ratios measured side by side.
// Add a suite: one line in SUITES. Run some: `pnpm -F @fieldvault/server bench -- platform`.

interface Suite {
  name: string;
  load: () => Promise<{ run: () => Promise<void> }>;
}

const SUITES: Suite[] = [
  { name: 'hash', load: () => import('./hash.bench.js') },
  { name: 'platform', load: () => import('./platform.bench.js') },
  { name: 'storage', load: () => import('./storage.bench.js') },
  { name: 'uploads', load: () => import('./uploads.bench.js') },
  { name: 'files', load: () => import('./files.bench.js') },
  { name: 'reconcile', load: () => import('./reconcile.bench.js') },
  { name: 'audit-verify', load: () => import('./audit-verify.bench.js') },
];

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const suite of SUITES) {
  if (wanted.length && !wanted.includes(suite.name)) continue;
  console.log(`\n== ${suite.name} ==`);
  await (await suite.load()).run();
}
