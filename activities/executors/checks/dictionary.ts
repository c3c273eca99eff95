/** The English hunspell dictionary of `dictionary-en`, loaded once per process into nspell. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import nspell from 'nspell';

let english: ReturnType<typeof nspell> | undefined;

/**
 * `dictionary-en` is an ES module that reads its files with top-level await, so it cannot be
 * required; its .aff and .dic files are read directly instead.
 */
export function englishSpeller(): ReturnType<typeof nspell> {
  if (!english) {
    const dir = dirname(require.resolve('dictionary-en'));
    english = nspell(readFileSync(join(dir, 'index.aff')), readFileSync(join(dir, 'index.dic')));
  }
  return english;
}
