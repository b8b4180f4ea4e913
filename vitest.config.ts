import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/guest boots real Linux guests: `npm run test:guest` (vitest.guest.config.ts).
    exclude: ['test/guest/**', '**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
