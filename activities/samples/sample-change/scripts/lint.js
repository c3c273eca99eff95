'use strict';
// Style rules for the sample project: strict mode, no `var`, no trailing whitespace, no console.log in src.
const { readFileSync } = require('node:fs');
const { relative } = require('node:path');
const { jsFiles, root } = require('./files');

let problems = 0;
for (const file of jsFiles(root)) {
  const name = relative(root, file);
  const lines = readFileSync(file, 'utf8').split('\n');
  const report = (line, message) => {
    problems += 1;
    console.error(`${name}:${line}: ${message}`);
  };
  if (!lines.some((line) => line.trim() === "'use strict';")) report(1, "missing 'use strict'");
  lines.forEach((line, index) => {
    if (/\s+$/.test(line)) report(index + 1, 'trailing whitespace');
    if (/^\s*var\s/.test(line)) report(index + 1, 'use const or let instead of var');
    if (name.startsWith('src') && /console\.log\(/.test(line)) report(index + 1, 'console.log left in source');
  });
}
console.log(`lint: ${problems} problem(s) in ${jsFiles(root).length} files`);
process.exit(problems === 0 ? 0 : 1);
