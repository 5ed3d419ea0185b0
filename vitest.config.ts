import { resolve } from 'node:path';
import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config.ts';

export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      projects: [
        {
          extends: true,
          test: { name: 'sdk', include: ['test/sdk/**/*.test.ts'], environment: 'happy-dom' },
        },
        {
          extends: true,
          // The React binding imports the SDK by its package name, as apps do; here that is the source.
          resolve: {
            alias: {
              '@useathos/sdk/react': resolve(import.meta.dirname, 'src/react/index.ts'),
              '@useathos/sdk': resolve(import.meta.dirname, 'src/index.ts'),
            },
          },
          test: { name: 'react', include: ['test/react/**/*.test.tsx'], environment: 'happy-dom' },
        },
        {
          extends: true,
          test: {
            name: 'package',
            include: ['test/package/**/*.test.ts'],
            environment: 'node',
            testTimeout: 60000,
            hookTimeout: 60000,
          },
        },
        {
          extends: true,
          test: { name: 'demo', include: ['test/demo/**/*.test.ts'], environment: 'node' },
        },
        {
          extends: true,
          test: { name: 'server', include: ['test/server/**/*.test.ts'], environment: 'node', testTimeout: 20000 },
        },
      ],
    },
  }),
);
