// One lint configuration for TypeScript and Svelte: typescript-eslint's
// type-aware recommended set (recommendedTypeChecked, the types from
// tsconfig.json through the project service) on every .ts and .svelte file,
// eslint-plugin-svelte's recommended set, and on the few plain .js/.mjs files
// (build scripts, the CLI's launcher) the rules that read the syntax alone.
// Formatting is Prettier's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'workers/cli/dist/',
      'coverage/',
      'tests/fixtures/bad/out/',
      '.vitest-attachments/',
      // Scratch directories (.gitignore'd), outside tsconfig.json's project.
      '.tmp/',
      'tests/.tmp/',
      'bench/.tmp/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.node, ...globals.worker },
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte'],
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
      // A function that returns a promise is async even where it has nothing
      // to await (ByteSource.read over bytes in memory or a synchronous pread,
      // TreeReader.list/stat over listings already parsed, TreeFormat.open, the
      // corpus's BadCase.build, the catalogue build's Reader): so that what it
      // throws (assertReadArgs on a bad range, a failed read, a broken fixture)
      // reaches the caller as a rejection, as from every other implementation
      // of the interface. The rule would have them lose `async`, turning those
      // throws synchronous. Where `async` served nothing it is gone.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // TypeScript checks names itself (DOM types such as BlobPart are not globals ESLint knows).
    files: ['**/*.ts', '**/*.svelte'],
    rules: { 'no-undef': 'off' },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    // The decoders' const enums name numbers (table sizes, bit counts, the
    // coder's constants), compiled to the numbers themselves, rather than
    // enumerate a closed set: comparing them with plain numbers is their use.
    files: ['workers/formats/wim/lzx.ts', 'workers/formats/wim/lzms.ts'],
    rules: { '@typescript-eslint/no-unsafe-enum-comparison': 'off' },
  },
  {
    // Plain JavaScript is outside the TypeScript project: no type information to check with.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // A CommonJS file loads with require(): that is what the format is (workers/cli/bin.cjs, chosen for start-up time).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', __dirname: 'readonly', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
