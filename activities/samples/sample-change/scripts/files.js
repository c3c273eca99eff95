'use strict';
const { readdirSync } = require('node:fs');
const { join } = require('node:path');

/** The .js files under `dir`, recursively. */
function jsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : jsFiles(path);
    return entry.name.endsWith('.js') ? [path] : [];
  });
}

module.exports = { jsFiles, root: join(__dirname, '..') };
