/** The English hunspell dictionary of `dictionary-en` plus cspell's software terms, loaded once per process. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import nspell from 'nspell';

type Speller = ReturnType<typeof nspell>;
let english: Speller | undefined;

/**
 * `dictionary-en` is an ES module that reads its files with top-level await, so it cannot be
 * required; its .aff and .dic files are read directly instead.
 */
export function englishSpeller(): Speller {
  if (!english) {
    const dir = dirname(require.resolve('dictionary-en'));
    english = nspell(readFileSync(join(dir, 'index.aff')), readFileSync(join(dir, 'index.dic')));
    for (const word of softwareTerms()) english.add(word);
  }
  return english;
}

function softwareTerms(): string[] {
  const dir = join(dirname(require.resolve('@cspell/dict-software-terms/cspell-ext.json')), 'dict');
  return gunzipSync(readFileSync(join(dir, 'softwareTerms.txt.gz')))
    .toString('utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^[A-Za-z][A-Za-z0-9'.-]*$/.test(line));
}
