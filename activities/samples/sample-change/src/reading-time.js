'use strict';

const WORDS_PER_MINUTE = 230;

/**
 * Minutes needed to read `text`, rounded up, at least one.
 * @param {string} text
 * @returns {number}
 */
function readingTime(text) {
  const words = text.split(/\s+/).filter(Boolean).length;
  return Math.max(1, Math.ceil(words / WORDS_PER_MINUTE));
}

module.exports = { readingTime, WORDS_PER_MINUTE };
