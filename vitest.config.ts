import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // They run the built image: npm run test:image builds it first (vitest.image.config.ts).
    exclude: ['test/image/built/**', '**/node_modules/**'],
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Each file starts its own servers; two workers fit the 2-core CI machine.
    maxWorkers: 2,
  },
});
