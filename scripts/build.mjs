// Builds dist/app.js (the CLI: one self-contained file, no node_modules needed beside it),
// dist/index.js (the library, dependencies left as imports) and the library's type declarations.
// Everything the build needs is in this one file: the Dockerfile's build stage copies only this script.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/**
 * Precompiles the metric file's schema with ajv's standalone code generation, so that neither bundle
 * loads ajv nor compiles the schema at run time. The generated module stands in for
 * src/validate/schemaValidator.ts, which compiles the same schema the same way at run time (the tests
 * run that one, against the JSON schema itself, and compare it with this one).
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
        contents: `${source}\nexport function schemaValidator() { return validate; }\n`,
        loader: 'js',
        resolveDir: root,
      }));
    },
  };
}

/** Runs src/validate/compileSchema.ts (bundled with ajv, as Node 20 cannot import TypeScript) to emit the code. */
async function generateValidatorSource() {
  const generator = await build({
    stdin: {
      contents: `
        import standaloneCode from 'ajv/dist/standalone/index.js';
        import { compileSchemaValidator, createSchemaAjv } from './src/validate/compileSchema.ts';
        const ajv = createSchemaAjv({ code: { source: true, esm: true } });
        export const source = standaloneCode(ajv, compileSchemaValidator(ajv));
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
 * The AWS SDK is most of the CLI bundle, and only s3:// inputs run it. Even never run, code in the bundle
 * is parsed at every start, about 20 ms here; kept as a string literal, it is only scanned, and compiled
 * on first use. The package is bundled on its own as CommonJS and evaluated when src/ first imports it.
 */
const parsedOnFirstUse = (packages) => ({
  name: 'parsed-on-first-use',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^@/ }, (args) =>
      packages.includes(args.path) && args.importer.includes('/src/') ? { path: args.path, namespace: 'parsed-on-first-use' } : undefined,
    );
    esbuild.onLoad({ filter: /.*/, namespace: 'parsed-on-first-use' }, async ({ path }) => {
      const bundled = await build({
        entryPoints: [path],
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
      const names = Object.keys(createRequire(import.meta.url)(path)).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default');
      return {
        contents: [
          'const module = { exports: {} };',
          `new Function('module', 'exports', 'require', ${JSON.stringify(bundled.outputFiles[0].text)})(module, module.exports, require);`,
          `export const { ${names.join(', ')} } = module.exports;`,
        ].join('\n'),
        loader: 'js',
        resolveDir: root,
      };
    });
  },
});

await build({
  ...common,
  entryPoints: ['src/app.ts'],
  outfile: 'dist/app.js',
  minify: true,
  plugins: [...common.plugins, parsedOnFirstUse(['@aws-sdk/client-s3'])],
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
