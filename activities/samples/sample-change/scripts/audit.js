'use strict';
// A small security scan: flags eval, new Function and shell execution built from strings.
const { readFileSync } = require('node:fs');
const { relative } = require('node:path');
const { jsFiles, root } = require('./files');

const RULES = [
  [/\beval\s*\(/, 'eval() runs arbitrary code'],
  [/new\s+Function\s*\(/, 'new Function() runs arbitrary code'],
  [/\bexec(Sync)?\s*\(\s*[`'"][^`'"]*\$\{/, 'shell command built from a template string'],
];

let findings = 0;
for (const file of jsFiles(`${root}/src`)) {
  readFileSync(file, 'utf8').split('\n').forEach((line, index) => {
    for (const [pattern, message] of RULES) {
      if (pattern.test(line)) {
        findings += 1;
        console.error(`${relative(root, file)}:${index + 1}: ${message}`);
      }
    }
  });
}
console.log(`audit: ${findings} finding(s)`);
process.exit(findings === 0 ? 0 : 1);
