import { execFileSync } from 'node:child_process';

/** Integration tests run the built bundle, so build it once before any test starts. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs', '--bundle-only'], { stdio: 'inherit' });
}
