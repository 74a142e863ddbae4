// Builds dist/app.js (the CLI: one self-contained file, no node_modules needed beside it),
// dist/index.js (the library, dependencies left as imports) and the library's type declarations.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { precompiledSchemaValidator } from './precompileSchema.mjs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: false,
  legalComments: 'none',
  define: { SIMPLEPIPE_VERSION: JSON.stringify(version) },
  logLevel: 'warning',
  plugins: [await precompiledSchemaValidator()],
};

// prom-client's index also loads its Pushgateway client (http, https, tls), cluster aggregation and default
// metrics, none of which simplepipe uses: the CLI bundle takes only the metric classes, saving start-up.
const promClientMetricsOnly = {
  name: 'prom-client-metrics-only',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^prom-client$/ }, (args) =>
      args.importer.includes('/src/') ? { path: 'prom-client', namespace: 'prom-client-metrics' } : undefined,
    );
    esbuild.onLoad({ filter: /.*/, namespace: 'prom-client-metrics' }, () => ({
      contents: ['Registry', 'Counter', 'Gauge', 'Histogram', 'Summary']
        .map((name) => `export { default as ${name} } from 'prom-client/lib/${name.toLowerCase()}.js';`)
        .join('\n'),
      resolveDir: process.cwd(),
    }));
  },
};

await build({
  ...common,
  entryPoints: ['src/app.ts'],
  outfile: 'dist/app.js',
  minify: true,
  plugins: [...common.plugins, promClientMetricsOnly],
  // Bundled CommonJS packages call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __simplepipeRequire } from 'node:module'; const require = __simplepipeRequire(import.meta.url);" },
});

await build({
  ...common,
  entryPoints: ['src/index.ts'],
  outfile: 'dist/index.js',
  packages: 'external',
});

// Declarations only matter to library consumers; the test run skips them to start faster.
if (!process.argv.includes('--bundle-only')) {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
