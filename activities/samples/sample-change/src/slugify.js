'use strict';

/**
 * Turns a title into a URL slug: lower case, words joined by hyphens.
 * @param {string} title
 * @returns {string}
 */
function slugify(title) {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

module.exports = { slugify };
