// ESLint flat config: `npm run lint` runs it together with `prettier --check`.
// Formatting belongs to Prettier (eslint-config-prettier, last, turns off the style rules).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

// Line disables only: `// eslint-disable-next-line <rule> -- <why>` (or -line). A file- or
// block-level `eslint-disable`, a directive without a rule name or without a reason is an error.
const DIRECTIVE = /^\s*eslint-disable(-next-line|-line)?(?=\s|$)(.*)$/s;
const disableNeedsReason = {
  meta: { type: 'problem', schema: [], docs: { description: 'eslint-disable comments: line scope, rule name and reason' } },
  create(context) {
    return {
      Program() {
        for (const comment of context.sourceCode.getAllComments()) {
          const m = DIRECTIVE.exec(comment.value);
          if (!m) continue;
          const [rules, reason] = m[2].split(/\s--\s|\s--$/);
          let message = null;
          if (!m[1]) message = 'No block or file-level eslint-disable: disable one line with eslint-disable-next-line <rule> -- <reason>.';
          else if (!rules.trim()) message = 'Name the rule(s) this eslint-disable turns off.';
          else if (!reason || !reason.trim()) message = 'Give the reason after " -- " in this eslint-disable comment.';
          if (message) context.report({ loc: comment.loc, message });
        }
      },
    };
  },
};

export default tseslint.config(
  {
    // Build output, caches, the Go tools and anything generated.
    ignores: ['dist/', 'node_modules/', '.ci-cache/', 'coverage/', 'test-artifacts/', '.data/', 'tools/', 'schema/'],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    plugins: { local: { rules: { 'disable-needs-reason': disableNeedsReason } } },
    rules: {
      'local/disable-needs-reason': 'error',
      // `_`-prefixed names are deliberately unused (positional args, tuple slots, omitted keys).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Type-aware rules, chosen for cost: a dropped or misused promise is this codebase's
    // likeliest silent bug (event handlers, fire-and-forget writes, Promise.all on non-promises).
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: dirname(fileURLToPath(import.meta.url)) } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', process: 'readonly', __dirname: 'readonly' } },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly' } },
  },
  prettier,
);
