import { z } from 'zod';
import { defineExecutor } from '../../executor';
import { englishSpeller } from './dictionary';
import { CheckOutputSchema, hasOneSource, loadSource, ONE_SOURCE, SourceShape, sortFindings, summarizeCheck, type Finding } from './content';
import { analyzeMarkdown } from './markdown-structure';

const SpellingInput = z
  .object({
    ...SourceShape,
    words: z
      .array(z.string().min(1))
      .default([])
      .describe('Extra accepted words (names, jargon), case-insensitive; an article can add its own in a `spelling:` front-matter list'),
    maxMisspellings: z.number().int().min(0).default(0),
    minWordLength: z.number().int().min(1).max(20).default(3),
    maxFindings: z.number().int().min(1).max(1000).default(200),
  })
  .refine(hasOneSource, ONE_SOURCE);

const WORD = /[\p{L}][\p{L}'’]*[\p{L}]|[\p{L}]/gu;
const SUGGESTION_LIMIT = 50;

export const spellingExecutor = defineExecutor({
  type: 'spelling',
  description: 'Spell-checks the prose (not code, URLs or front matter) against an English hunspell dictionary',
  input: SpellingInput,
  output: CheckOutputSchema,
  async run(input, ctx) {
    const source = await loadSource(input);
    const speller = englishSpeller();
    const structure = analyzeMarkdown(source.text);
    const articleWords = structure.frontMatter.data?.spelling;
    const accepted = new Set(
      [...input.words, ...(Array.isArray(articleWords) ? articleWords.map(String) : [])].map((word) => word.toLowerCase()),
    );
    const suggestions = new Map<string, string[]>();
    const findings: Finding[] = [];
    let misspellings = 0;
    let words = 0;

    for (const block of structure.blocks) {
      for (const segment of block.segments) {
        for (const match of segment.text.matchAll(WORD)) {
          const word = match[0].replace(/’/g, "'").replace(/^'+|'+$/g, '');
          words += 1;
          if (!shouldCheck(word, input.minWordLength) || accepted.has(word.toLowerCase())) continue;
          if (speller.correct(word) || speller.correct(word.toLowerCase()) || speller.correct(word.replace(/'s$/, ''))) continue;
          misspellings += 1;
          if (findings.length >= input.maxFindings) continue;
          let suggested = suggestions.get(word);
          if (!suggested) {
            suggested = suggestions.size < SUGGESTION_LIMIT ? speller.suggest(word).slice(0, 3) : [];
            suggestions.set(word, suggested);
          }
          findings.push({
            line: segment.line,
            rule: 'misspelling',
            message: suggested.length > 0 ? `"${word}" is not in the dictionary; did you mean ${suggested.map((s) => `"${s}"`).join(', ')}?` : `"${word}" is not in the dictionary`,
            severity: 'warning',
          });
        }
      }
    }
    ctx.logger.debug({ event: 'check.done', check: 'spelling', words, misspellings }, 'spelling check done');
    return {
      passed: misspellings <= input.maxMisspellings,
      findings: sortFindings(findings),
      metrics: { words, misspellings, distinctMisspellings: suggestions.size },
      source: source.name,
    };
  },
  summarize: summarizeCheck,
});

/** Skips acronyms, identifiers in camelCase and words too short to judge. */
function shouldCheck(word: string, minLength: number): boolean {
  if (word.length < minLength) return false;
  if (word === word.toUpperCase()) return false;
  if (/\p{Lu}/u.test(word.slice(1))) return false;
  return true;
}
