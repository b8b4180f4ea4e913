import { defineConfig } from 'vitest/config';

// The real-guest harness (npm run test:guest): boots Debian's kernel with a busybox
// initramfs (scripts/build-guest.sh) under TCG on every installed QEMU release and
// migrates it between them. Slow (TCG boots); kept out of `npm test`.
export default defineConfig({
  test: {
    include: ['test/guest/**/*.test.ts'],
    testTimeout: 900_000,
    hookTimeout: 900_000,
    // Each file boots several guests; two at once already fill this project's two cores.
    fileParallelism: false,
  },
});
