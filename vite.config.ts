// The Vitest projects of the whole repository: one per package or app, plus
// the cross-app end-to-end tests in tests/. `npm test` runs them all.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'shared', root: 'packages/shared', include: ['test/**/*.test.ts'], testTimeout: 60_000 } },
      { test: { name: 'agent', root: 'apps/agent', include: ['test/**/*.test.ts'], testTimeout: 60_000 } },
      { test: { name: 'cli', root: 'apps/cli', include: ['test/**/*.test.ts'], testTimeout: 120_000 } },
      'apps/web/vite.config.ts',
      { test: { name: 'e2e', root: 'tests', include: ['**/*.test.ts'], testTimeout: 300_000, hookTimeout: 300_000, fileParallelism: false } },
    ],
  },
});
