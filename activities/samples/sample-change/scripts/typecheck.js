'use strict';
// Syntax-checks every file with `node --check` and loads each module to catch missing exports.
const { execFileSync } = require('node:child_process');
const { relative } = require('node:path');
const { jsFiles, root } = require('./files');

let failed = 0;
for (const file of jsFiles(root)) {
  try {
    execFileSync(process.execPath, ['--check', file], { stdio: 'pipe' });
  } catch (err) {
    failed += 1;
    console.error(`${relative(root, file)}: ${String(err.stderr).trim()}`);
  }
}
for (const file of jsFiles(`${root}/src`)) {
  const exported = require(file);
  if (Object.keys(exported).length === 0) {
    failed += 1;
    console.error(`${relative(root, file)}: exports nothing`);
  }
}
console.log(`typecheck: ${failed} file(s) with errors`);
process.exit(failed === 0 ? 0 : 1);
