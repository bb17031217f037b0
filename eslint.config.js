// One linter for the whole tree. Core purity is enforced here: services/core
// may not import I/O, gRPC, Redis, prom-client or the adapters.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'services/node/generated/**', 'loadtest/peers/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['services/core/**/*.ts'],
    ignores: ['services/core/test/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'fs', 'net', 'http', 'http2', 'crypto', 'child_process', 'os', 'dgram', 'tls'], message: 'services/core is pure: no I/O.' },
          { group: ['@grpc/*', 'ioredis', 'prom-client', 'pino'], message: 'services/core is pure: adapters live in node/, registry/, sim/.' },
          { group: ['**/node/**', '**/registry/**', '**/sim/**', '**/cli/**'], message: 'services/core imports nothing from the adapters.' },
        ],
      }],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'setImmediate', 'process', 'Date'],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'Use env.random().' }, { object: 'Date', property: 'now', message: 'Use env.now().' }],
    },
  },
);
