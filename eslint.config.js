// One lint configuration for the whole monorepo: type-aware typescript-eslint rules plus house boundaries.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.turbo/**',
      '**/coverage/**',
      'reports/**',
      '.ceph-rgw/**',
      '.tmp/**',
      '**/test-results/**',
      '**/playwright-report/**',
      '**/data/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['*.js', '*.mjs', 'scripts/*.mjs', 'tooling/*.ts'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      'no-console': 'error',
    },
  },
  {
    // The PWA may import the server's router *type* only, never its code.
    files: ['packages/pwa/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@fieldvault/server', '@fieldvault/server/*', '**/server/src/**'],
              message: 'The PWA imports the server router type only (import type).',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    // Configuration is read in one place; everything else receives typed config.
    files: ['packages/server/src/**/*.ts'],
    ignores: [
      'packages/server/src/env.ts',
      'packages/server/src/**/*.test.ts',
      'packages/server/src/test/**',
    ],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration in env.ts only.' },
      ],
    },
  },
  {
    // Scripts and command-line entry points talk to a terminal.
    files: ['scripts/**', 'packages/server/src/cli/**', 'packages/*/bench/**', 'e2e/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: globals.node },
  },
  prettier,
);
