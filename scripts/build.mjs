// Builds dist/app.js (the CLI: one self-contained file, no node_modules needed beside it),
// dist/index.js (the library, dependencies left as imports) and the library's type declarations.
// Everything the build needs is in this one file: the Dockerfile's build stage copies only this script.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/**
 * Precompiles the schemas (the metric file's, the Kubeflow Pipelines metrics file's) with ajv's standalone
 * code generation, so that neither bundle loads ajv nor compiles a schema at run time. The generated module
 * stands in for src/validate/schemaValidator.ts, which compiles the same schemas the same way at run time
 * (the tests run that one, against the JSON schemas themselves, and compare it with this one).
 */
async function precompiledSchemaValidator() {
  const source = await generateValidatorSource();
  return {
    name: 'precompiled-schema-validator',
    setup(esbuild) {
      esbuild.onResolve({ filter: /^\.\/schemaValidator\.js$/ }, (args) =>
        args.importer.endsWith('/src/validate/schema.ts') ? { path: 'schemaValidator', namespace: 'precompiled' } : undefined,
      );
      esbuild.onLoad({ filter: /.*/, namespace: 'precompiled' }, () => ({
        contents: `${source}\nexport function schemaValidators() { return { metricFile, kfpMetrics }; }\n`,
        loader: 'js',
        resolveDir: root,
      }));
    },
  };
}

/** Runs src/validate/compileSchema.ts (bundled with ajv, as Node 20 cannot import TypeScript) to emit the code, one export per schema. */
async function generateValidatorSource() {
  const generator = await build({
    stdin: {
      contents: `
        import standaloneCode from 'ajv/dist/standalone/index.js';
        import { SCHEMA_IDS, createSchemaAjv } from './src/validate/compileSchema.ts';
        const ajv = createSchemaAjv({ code: { source: true, esm: true } });
        export const source = standaloneCode(ajv, SCHEMA_IDS);
      `,
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    logLevel: 'warning',
  });
  const dir = `${root}node_modules/.cache/simplepipe`;
  mkdirSync(dir, { recursive: true });
  const file = `${dir}/precompile-schema.mjs`;
  writeFileSync(file, generator.outputFiles[0].text);
  const { source } = await import(pathToFileURL(file).href);
  return source;
}

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

/**
 * The AWS SDK is most of the CLI bundle, and only s3:// inputs run it; the Grafana SDK is next, and only
 * `dashboard` runs it. Even never run, code in the bundle is parsed at every start, about 20 ms here for
 * the AWS SDK; kept as a string literal, it is only scanned, and compiled on first use. Each package is
 * bundled on its own as CommonJS, every entry point src/ imports from it in one bundle (the Grafana SDK's
 * subpaths share most of their code), and evaluated when src/ first imports one of them.
 */
const parsedOnFirstUse = (packages) => ({
  name: 'parsed-on-first-use',
  setup(esbuild) {
    const packageOf = (specifier) => specifier.split('/').slice(0, 2).join('/');
    const specifiers = importedFrom(packages);
    esbuild.onResolve({ filter: /^@/ }, (args) =>
      specifiers.includes(args.path) && args.importer.includes('/src/') ? { path: args.path, namespace: 'parsed-on-first-use' } : undefined,
    );
    esbuild.onResolve({ filter: /.*/, namespace: 'parsed-on-first-use' }, (args) => ({ path: args.path, namespace: 'parsed-on-first-use-package' }));
    // One module per package: its entry points, compiled together from a string when first imported.
    esbuild.onLoad({ filter: /.*/, namespace: 'parsed-on-first-use-package' }, async ({ path: name }) => {
      const entries = specifiers.filter((specifier) => packageOf(specifier) === name);
      const bundled = await build({
        stdin: { contents: `module.exports = { ${entries.map((e) => `${JSON.stringify(e)}: require(${JSON.stringify(e)})`).join(', ')} };`, resolveDir: root },
        absWorkingDir: root,
        bundle: true,
        platform: 'node',
        target: common.target,
        format: 'cjs',
        minify: true,
        legalComments: 'none',
        write: false,
        logLevel: 'warning',
      });
      return {
        contents: [
          'const module = { exports: {} };',
          `new Function('module', 'exports', 'require', ${JSON.stringify(bundled.outputFiles[0].text)})(module, module.exports, require);`,
          'export default module.exports;',
        ].join('\n'),
        loader: 'js',
        resolveDir: root,
      };
    });
    esbuild.onLoad({ filter: /.*/, namespace: 'parsed-on-first-use' }, ({ path: specifier }) => {
      const names = Object.keys(createRequire(import.meta.url)(specifier)).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default');
      return {
        contents: [
          `import entries from ${JSON.stringify(packageOf(specifier))};`,
          `export const { ${names.join(', ')} } = entries[${JSON.stringify(specifier)}];`,
        ].join('\n'),
        loader: 'js',
        resolveDir: root,
      };
    });
  },
});

/** Every specifier of `packages` (the package itself or a subpath) that a file under src/ imports. */
function importedFrom(packages) {
  const found = new Set();
  for (const file of readdirSync(`${root}src`, { recursive: true, encoding: 'utf8' }).filter((path) => path.endsWith('.ts'))) {
    // Type-only imports are erased, so they need no code.
    for (const match of readFileSync(`${root}src/${file}`, 'utf8').matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?\bfrom\s+'([^']+)'|\bimport\('([^']+)'\)/gm)) {
      const specifier = match[1] ?? match[2];
      if (packages.some((name) => specifier === name || specifier.startsWith(`${name}/`))) found.add(specifier);
    }
  }
  return [...found].sort();
}

await build({
  ...common,
  entryPoints: ['src/app.ts'],
  outfile: 'dist/app.js',
  minify: true,
  plugins: [...common.plugins, parsedOnFirstUse(['@aws-sdk/client-s3', '@grafana/grafana-foundation-sdk'])],
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
