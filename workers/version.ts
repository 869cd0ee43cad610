/** Kept in step with package.json by tests/node/version.test.ts. */
export const VERSION = '0.1.0';
