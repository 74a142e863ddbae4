import { defineConfig } from 'vitest/config';

/** npm run test:image (scripts/test-image.sh): the tests that run the image it has just built. */
export default defineConfig({
  test: {
    include: ['test/image/built/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
  },
});
