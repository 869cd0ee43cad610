/** Kept in step with package.json (tests/node/bytes.test.ts checks it). */
export const VERSION = '0.1.0';
