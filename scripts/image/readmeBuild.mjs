// Prints the build command of Deploy step 1 (docs/deploy.md, the first ```sh block of "## 1. Build the image"),
// so that npm run test:image builds the image with exactly what the docs tell a reader to run.
import { readFileSync } from 'node:fs';

const deploy = readFileSync(new URL('../../docs/deploy.md', import.meta.url), 'utf8');
const start = deploy.indexOf('\n## 1. Build the image\n');
if (start < 0) throw new Error('docs/deploy.md has no "## 1. Build the image"');
const step = deploy.slice(start + 1, deploy.indexOf('\n## ', start + 1));
const block = /^```sh\n([\s\S]*?)^```$/m.exec(step)?.[1];
if (!block?.includes('podman build')) throw new Error('docs/deploy.md step 1: its first sh block is not a podman build');
process.stdout.write(block);
