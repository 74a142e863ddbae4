// Builds dist/app.js (the CLI: one self-contained file, no node_modules needed beside it),
// dist/index.js (the library, dependencies left as imports) and the library's type declarations.
// Everything the build needs is in this one file: the Dockerfile's build stage copies only this script.
import { build } from 'esbuild';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { brotliCompressSync, constants as zlibConstants } from 'node:zlib';
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
 * Packages that only some runs use (the AWS SDK for s3:// inputs, the Grafana SDK for `dashboard`, tar-stream for archived inputs,
 * protobuf and snappy for remote write) are most of the CLI bundle, and code in the bundle is parsed at
 * every start even when it never runs. Each package is therefore bundled on its own, every entry point src/
 * imports from it in one module (the Grafana SDK's subpaths share most of their code), and kept in the CLI
 * bundle brotli-compressed, as a string that is only scanned at start. The first import from src/ decompresses
 * it and imports it as a `data:` URL module: a documented lazy import, inside the one self-contained file.
 */
const loadedOnFirstUse = (packages) => ({
  name: 'loaded-on-first-use',
  setup(esbuild) {
    const imported = importedFrom(packages);
    const specifiers = [...imported.keys()].sort();
    esbuild.onResolve({ filter: /.*/ }, (args) =>
      specifiers.includes(args.path) && args.importer.includes('/src/') ? { path: args.path, namespace: 'loaded-on-first-use' } : undefined,
    );
    esbuild.onResolve({ filter: /.*/, namespace: 'loaded-on-first-use' }, (args) => ({ path: args.path, namespace: 'loaded-on-first-use-package' }));
    // One module per package: its entry points, imported together from a data: URL when first needed.
    esbuild.onLoad({ filter: /.*/, namespace: 'loaded-on-first-use-package' }, async ({ path: name }) => {
      const entries = specifiers.filter((specifier) => packageOf(packages, specifier) === name);
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
      // The package's CommonJS, run as CommonJS, in an ES module that can be imported from a data: URL.
      // Every package it uses is inside it, so its require() only ever asks for Node's built-in modules.
      const esm = [
        `/* simplepipe: loaded on first use: ${name} */`,
        'const require = (id) => process.getBuiltinModule(id);',
        'const module = { exports: {} };',
        `(function (module, exports, require) {${bundled.outputFiles[0].text}\n})(module, module.exports, require);`,
        'export default module.exports;',
      ].join('\n');
      const compressed = brotliCompressSync(esm, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }).toString('base64');
      return {
        contents: [
          "const { brotliDecompressSync } = await import('node:zlib');",
          `const source = brotliDecompressSync(Buffer.from(${JSON.stringify(compressed)}, 'base64'));`,
          "const loaded = await import(`data:text/javascript;base64,${source.toString('base64')}`);",
          'export default loaded.default;',
        ].join('\n'),
        loader: 'js',
        resolveDir: root,
      };
    });
    esbuild.onLoad({ filter: /.*/, namespace: 'loaded-on-first-use' }, ({ path: specifier }) => {
      // Only the names src/ takes: the SDKs export hundreds, and this module is parsed at every start.
      const used = imported.get(specifier);
      const names = used === 'all' ? Object.keys(createRequire(import.meta.url)(specifier)).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default') : [...used].sort();
      return {
        contents: [
          `import entries from ${JSON.stringify(packageOf(packages, specifier))};`,
          `const entry = entries[${JSON.stringify(specifier)}];`,
          'export default entry;',
          names.length > 0 ? `export const { ${names.join(', ')} } = entry;` : '',
        ].join('\n'),
        loader: 'js',
        resolveDir: root,
      };
    });
  },
});

/**
 * commander requires child_process when loaded, for subcommands that are separate executables, which
 * simplepipe has none of: the module, and dgram with it, would cost every run about 7 ms. It gets it on first use.
 */
const childProcessOnFirstUse = {
  name: 'child-process-on-first-use',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes('/node_modules/commander/') ? { path: 'child_process', namespace: 'child-process-on-first-use' } : undefined,
    );
    esbuild.onLoad({ filter: /.*/, namespace: 'child-process-on-first-use' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, name) => process.getBuiltinModule('node:child_process')[name] });",
      loader: 'js',
    }));
  },
};

/**
 * The CLI sends with Node's own http and https (src/net/transport/): undici is for library callers who pass
 * an undici dispatcher, which the CLI never does. Left out of the CLI bundle, it costs the CLI nothing.
 */
const undiciLeftOut = {
  name: 'undici-left-out',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^undici$/ }, () => ({ path: 'undici', namespace: 'undici-left-out' }));
    esbuild.onLoad({ filter: /.*/, namespace: 'undici-left-out' }, () => ({
      contents: "export function request() { throw new Error('undici is not in the CLI bundle: only library callers pass a dispatcher'); }",
      loader: 'js',
    }));
  },
};

/** The package of `packages` that `specifier` names, itself or a subpath of it. */
const packageOf = (packages, specifier) => packages.find((name) => specifier === name || specifier.startsWith(`${name}/`));

/**
 * Every specifier of `packages` (the package itself or a subpath) that a file under src/ imports, with the
 * names src/ takes from it: `import { a, b as c } from` and `const { a } = await import(...)` name them;
 * any other use (a namespace, a default import) takes every export, marked `all`.
 */
function importedFrom(packages) {
  const found = new Map();
  const take = (specifier, names) => {
    if (packageOf(packages, specifier) === undefined) return;
    const known = found.get(specifier) ?? new Set();
    found.set(specifier, names === 'all' || known === 'all' ? 'all' : new Set([...known, ...names]));
  };
  // Type-only imports are erased, so they need no code.
  const named = (list) => list.split(',').map((part) => part.trim()).filter((part) => part !== '' && !part.startsWith('type ')).map((part) => part.split(/\s+as\s+/)[0]);
  for (const file of readdirSync(`${root}src`, { recursive: true, encoding: 'utf8' }).filter((path) => path.endsWith('.ts'))) {
    const text = readFileSync(`${root}src/${file}`, 'utf8');
    const pattern = /^import\s+(?!type\s)\{([^}]*)\}\s*from\s+'([^']+)'|\bconst\s*\{([^}]*)\}\s*=\s*await\s+import\('([^']+)'\)|^(?:import|export)\s+(?!type\s)[^;{]*?\bfrom\s+'([^']+)'|\bimport\('([^']+)'\)/gm;
    for (const match of text.matchAll(pattern)) {
      if (match[2] !== undefined) take(match[2], named(match[1]));
      else if (match[4] !== undefined) take(match[4], named(match[3]));
      else take(match[5] ?? match[6], 'all');
    }
  }
  return found;
}

/**
 * V8 compiles a function when it is first called: a 10-record push spends most of its start-up compiling
 * the functions it runs, each read twice (skimmed when the bundle loads, parsed whole at its first call),
 * and Node's compile cache in the image keeps only what was compiled as the bundle loaded. A function in
 * parentheses is compiled with the code around it instead (V8's guess that it is called at once). So the
 * bundle is run once here, pushing ten records with a grouping to a loopback server that answers 200, under
 * V8's coverage, and what that push called is put in parentheses: a top-level `function f() {...}` becomes
 * `var f = (function f() {...});`, an arrow function `(() => ...)`. The declaration no longer hoists, which
 * changes nothing once the bundle's top level has run, and that top level calls none of them before its
 * definition: the same push, run again on the rewritten bundle, would fail. The rest of the bundle is untouched.
 */
async function compileEagerlyWhatAPushRuns(file) {
  const ts = createRequire(import.meta.url)('typescript');
  const source = readFileSync(file, 'utf8');
  const called = new Set((await coverageOfAPush(file)).filter((fn) => fn.ranges[0].count > 0).map((fn) => fn.ranges[0].startOffset));
  const parsed = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const insertions = [];
  const visit = (node) => {
    const start = ts.isFunctionDeclaration(node) || ts.isArrowFunction(node) ? node.getStart(parsed) : -1;
    if (called.has(start)) {
      if (ts.isFunctionDeclaration(node) && node.parent === parsed && node.name !== undefined && node.asteriskToken === undefined) {
        insertions.push([start, `var ${node.name.text} = (`, 'open'], [node.end, ');', 'close']);
      } else if (ts.isArrowFunction(node) && !ts.isParenthesizedExpression(node.parent) && !ts.isExpressionStatement(node.parent)) {
        insertions.push([start, '(', 'open'], [node.end, ')', 'close']);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(parsed);
  // From the end, so each offset still points into the original text. Where one function ends and the next
  // begins at one offset, the opening is inserted first, so that the closing, inserted after it, comes before it.
  let text = source;
  insertions.sort((a, b) => b[0] - a[0] || (a[2] === b[2] ? 0 : a[2] === 'open' ? -1 : 1));
  for (const [offset, inserted] of insertions) text = `${text.slice(0, offset)}${inserted}${text.slice(offset)}`;
  writeFileSync(file, text);
  await coverageOfAPush(file);
}

/** V8's function coverage of the bundle `file` pushing ten records to a loopback server that answers 200; throws unless the push succeeds. */
async function coverageOfAPush(file) {
  const dir = mkdtempSync(`${tmpdir()}/simplepipe-build-`);
  const server = createServer((request, response) => request.resume().on('end', () => response.writeHead(200).end()));
  try {
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const records = Array.from({ length: 10 }, (_, i) => ({ name: `build_${i}`, description: 'warm-up', value: i, metric_type: 'gauge', labels: { step: String(i) } }));
    writeFileSync(`${dir}/metrics.json`, JSON.stringify(records));
    const { code, stderr } = await new Promise((resolve, reject) => {
      const args = [file, `${dir}/metrics.json`, 'build', '--gateway', `http://127.0.0.1:${server.address().port}`, '--grouping', 'instance=build', '--retries', '0'];
      // An environment of its own: a proxy (HTTP_PROXY) or gateway settings of the machine building would send it elsewhere.
      const child = spawn(process.execPath, args, {
        env: { PATH: process.env.PATH ?? '', NODE_V8_COVERAGE: `${dir}/coverage` },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    if (code !== 0) throw new Error(`build: the push that finds the functions to compile eagerly exited ${code}:\n${stderr}`);
    const url = pathToFileURL(`${root}${file}`).href;
    const scripts = readdirSync(`${dir}/coverage`).flatMap((name) => JSON.parse(readFileSync(`${dir}/coverage/${name}`, 'utf8')).result);
    return scripts.find((script) => script.url === url)?.functions ?? [];
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await build({
  ...common,
  entryPoints: ['src/app.ts'],
  outfile: 'dist/app.js',
  minify: !process.env.SIMPLEPIPE_BUILD_READABLE, // SIMPLEPIPE_BUILD_READABLE=1 keeps names, for --cpu-prof
  plugins: [...common.plugins, undiciLeftOut, childProcessOnFirstUse, loadedOnFirstUse(['@aws-sdk/client-s3', '@grafana/grafana-foundation-sdk', 'protobufjs', 'snappyjs', 'tar-stream'])],
  // Bundled CommonJS packages call require(), only ever for Node's built-in modules (every package is in the
  // bundle). process.getBuiltinModule serves those without loading node:module, and its source-map support.
  banner: { js: 'const require = (id) => process.getBuiltinModule(id);' },
});

await build({
  ...common,
  entryPoints: ['src/index.ts'],
  outfile: 'dist/index.js',
  packages: 'external',
});

await compileEagerlyWhatAPushRuns('dist/app.js');

// Declarations only matter to library consumers; the test run skips them to start faster.
if (!process.argv.includes('--bundle-only')) {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
