'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { readingTime } = require('../src/reading-time');

test('is at least one minute', () => {
  assert.equal(readingTime('short'), 1);
});

test('rounds up', () => {
  assert.equal(readingTime('word '.repeat(231)), 2);
});
