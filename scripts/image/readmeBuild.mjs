// Prints the README's Deploy step 1 build command, the first ```sh block of "### 1. Build the image", so that
// npm run test:image builds the image with exactly what the README tells a reader to run.
import { readFileSync } from 'node:fs';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const start = readme.indexOf('\n### 1. Build the image\n');
if (start < 0) throw new Error('README.md has no "### 1. Build the image"');
const step = readme.slice(start + 1, readme.indexOf('\n### ', start + 1));
const block = /^```sh\n([\s\S]*?)^```$/m.exec(step)?.[1];
if (!block?.includes('podman build')) throw new Error('README.md Deploy step 1: its first sh block is not a podman build');
process.stdout.write(block);
