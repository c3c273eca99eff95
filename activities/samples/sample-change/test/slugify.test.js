'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { slugify } = require('../src/slugify');

test('joins words with hyphens', () => {
  assert.equal(slugify('Retries That Do Not Hurt'), 'retries-that-do-not-hurt');
});

test('drops accents and punctuation', () => {
  assert.equal(slugify('Café, crème & brûlée!'), 'cafe-creme-brulee');
});
