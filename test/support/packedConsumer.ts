import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Makes a separate ESM project that depends on simplepipe as a user's would: the tarball `npm pack`
 * makes is unpacked into its node_modules, so only what package.json's `files` and `exports` publish
 * is there. Its dependencies are linked from this checkout's node_modules rather than installed, so the
 * test needs no registry. `files` are copied into the project.
 */
export function createConsumerProject(files: string[]): string {
  // Declarations are built here rather than in globalSetup: only this test needs them.
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'pipe' });
  const project = mkdtempSync(join(tmpdir(), 'simplepipe-consumer-'));
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', project], { cwd: ROOT, encoding: 'utf8' }).trim();
  const installed = join(project, 'node_modules', 'simplepipe');
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', join(project, tarball.split('\n').pop()!), '-C', installed, '--strip-components=1']);

  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  for (const name of [...Object.keys(manifest.dependencies), '@types/node']) {
    const link = join(project, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', name), link, 'dir');
  }
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'simplepipe-consumer', private: true, type: 'module', dependencies: { simplepipe: `file:${tarball}` } }),
  );
  for (const file of files) cpSync(file, join(project, file.split('/').pop()!));
  return project;
}

/** Type-checks the project's .mjs files against the package's published declarations, as an editor would. */
export function typecheckConsumer(project: string, files: string[]): void {
  const result = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '--allowJs', '--checkJs', '--strict', '--module', 'nodenext',
      '--target', 'es2022', '--types', 'node', ...files],
    { cwd: project, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`tsc found errors in the consumer:\n${result.stdout}${result.stderr}`);
}
