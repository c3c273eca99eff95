#!/usr/bin/env node
'use strict';
// The `review` command runs the TypeScript sources through ts-node without type checking
// (`npm run typecheck` does that); SWC transpiles when available because it starts twice as fast.
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const project = path.join(root, 'tsconfig.json');
let swc = false;
try {
  require.resolve('@swc/core', { paths: [root] });
  swc = true;
} catch {
  // the TypeScript compiler's transpile-only mode
}
require('ts-node').register(swc ? { swc: true, project } : { transpileOnly: true, project });
const { run } = require(path.join(root, 'src', 'cli', 'main.ts'));

run(process.argv).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
