// Precompiles the metric file's schema with ajv's standalone code generation, so that neither bundle
// loads ajv nor compiles the schema at run time. The generated module stands in for
// src/validate/schemaValidator.ts, which compiles the same schema the same way at run time (the tests
// run that one, against the JSON schema itself).
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export async function precompiledSchemaValidator() {
  const source = await generateValidatorSource();
  return {
    name: 'precompiled-schema-validator',
    setup(esbuild) {
      esbuild.onResolve({ filter: /^\.\/schemaValidator\.js$/ }, () => ({ path: 'schemaValidator', namespace: 'precompiled' }));
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
