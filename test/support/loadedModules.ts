import { tempFile } from './files.js';

/** Node's built-in modules a plain http:// push has no use for: TLS, hashing and ciphers, compression, HTTP/2. */
const UNNEEDED = /^NativeModule (tls|_tls_\w+|crypto|zlib|http2|internal\/(tls|crypto|http2)\/\S+|internal\/deps\/undici\/undici)$/;

let probe: string | undefined;

/** A preload (for NODE_OPTIONS' --require) that prints, as the process exits, every built-in module Node loaded. */
export function loadedModulesProbe(): string {
  probe ??= tempFile("process.on('exit', () => process.stderr.write(`\\nloaded-modules=${process.moduleLoadList.join(',')}\\n`));\n", 'loaded-modules.cjs');
  return probe;
}

/** The modules of UNNEEDED that the probe saw loaded, from a run's stderr. */
export function unneededModules(stderr: string): string[] {
  const loaded = /loaded-modules=(.*)/.exec(stderr)?.[1]?.split(',');
  if (!loaded) throw new Error(`no module list in:\n${stderr}`);
  return loaded.filter((name) => UNNEEDED.test(name));
}
