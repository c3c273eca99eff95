#!/usr/bin/env node
'use strict';
// The `review` command: runs the TypeScript sources through ts-node (type checking is left to `npm run typecheck`).
const path = require('node:path');

const root = path.resolve(__dirname, '..');
require('ts-node').register({ transpileOnly: true, project: path.join(root, 'tsconfig.json') });
const { run } = require(path.join(root, 'src', 'cli', 'main.ts'));

run(process.argv).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
