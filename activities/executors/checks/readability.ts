import readability from 'text-readability-ts';
import { z } from 'zod';
import { defineExecutor } from '../../executor';
import { CheckOutputSchema, hasOneSource, loadSource, ONE_SOURCE, round, SourceShape, sortFindings, summarizeCheck, type Finding } from './content';
import { analyzeMarkdown, joinBlock } from './markdown-structure';

const ReadabilityInput = z
  .object({
    ...SourceShape,
    minReadingEase: z.number().min(-100).max(121).default(50).describe('Lowest Flesch reading ease for the whole text'),
    maxGrade: z.number().min(0).max(30).default(12).describe('Highest Flesch-Kincaid grade for the whole text'),
    maxSentenceWords: z.number().int().min(5).max(200).default(30),
    maxParagraphGrade: z.number().min(0).max(40).default(16).describe('Paragraphs above this grade are flagged'),
    wordsPerMinute: z.number().int().min(50).max(1000).default(230),
  })
  .refine(hasOneSource, ONE_SOURCE);

/** Ends the sentence at . ! or ? followed by space and a capital, digit or quote. */
const SENTENCE_END = /[.!?]+["'”’)]?\s+(?=["“'‘(]?[A-Z0-9])/g;

export const readabilityExecutor = defineExecutor({
  type: 'readability',
  description: 'Readability scores (Flesch reading ease, Flesch-Kincaid grade, Gunning fog, …) with long sentences and hard paragraphs flagged',
  input: ReadabilityInput,
  output: CheckOutputSchema,
  async run(input) {
    const source = await loadSource(input);
    const structure = analyzeMarkdown(source.text);
    const findings: Finding[] = [];
    const paragraphs: string[] = [];

    for (const block of structure.blocks.filter((b) => b.kind === 'paragraph')) {
      const joined = joinBlock(block);
      const text = joined.text.replace(/\s+/g, ' ').trim();
      if (readability.lexiconCount(text) === 0) continue;
      paragraphs.push(/[.!?]["'”’)]?$/.test(text) ? text : `${text}.`);
      for (const sentence of sentencesOf(joined.text)) {
        const words = readability.lexiconCount(sentence.text);
        if (words > input.maxSentenceWords) {
          findings.push({
            line: joined.lineAt(sentence.offset),
            rule: 'long-sentence',
            message: `sentence of ${words} words (at most ${input.maxSentenceWords}): "${preview(sentence.text)}"`,
            severity: 'warning',
          });
        }
      }
      const words = readability.lexiconCount(text);
      const grade = readability.fleschKincaidGrade(text);
      if (words >= 30 && grade > input.maxParagraphGrade) {
        findings.push({
          line: block.line,
          rule: 'hard-paragraph',
          message: `paragraph reads at grade ${round(grade)} (at most ${input.maxParagraphGrade}); shorter sentences and words would help`,
          severity: 'warning',
        });
      }
    }

    const text = paragraphs.join('\n\n');
    const words = readability.lexiconCount(text);
    const metrics = {
      words,
      sentences: words === 0 ? 0 : readability.sentenceCount(text),
      fleschReadingEase: words === 0 ? 0 : round(readability.fleschReadingEase(text)),
      fleschKincaidGrade: words === 0 ? 0 : round(readability.fleschKincaidGrade(text)),
      gunningFog: words === 0 ? 0 : round(readability.gunningFog(text)),
      colemanLiauIndex: words === 0 ? 0 : round(readability.colemanLiauIndex(text)),
      automatedReadabilityIndex: words === 0 ? 0 : round(readability.automatedReadabilityIndex(text)),
      readingTimeMinutes: round(words / input.wordsPerMinute),
    };
    const firstLine = structure.blocks[0]?.line ?? 1;
    if (words > 0 && metrics.fleschReadingEase < input.minReadingEase) {
      findings.push({
        line: firstLine,
        rule: 'reading-ease',
        message: `Flesch reading ease is ${metrics.fleschReadingEase} (at least ${input.minReadingEase})`,
        severity: 'error',
      });
    }
    if (words > 0 && metrics.fleschKincaidGrade > input.maxGrade) {
      findings.push({
        line: firstLine,
        rule: 'grade-level',
        message: `Flesch-Kincaid grade is ${metrics.fleschKincaidGrade} (at most ${input.maxGrade})`,
        severity: 'error',
      });
    }
    return {
      passed: !findings.some((f) => f.severity === 'error'),
      findings: sortFindings(findings),
      metrics,
      source: source.name,
    };
  },
  summarize: summarizeCheck,
});

function sentencesOf(text: string): Array<{ text: string; offset: number }> {
  const sentences: Array<{ text: string; offset: number }> = [];
  let start = 0;
  for (const match of text.matchAll(SENTENCE_END)) {
    const end = (match.index ?? 0) + match[0].length;
    sentences.push({ text: text.slice(start, end).trim(), offset: start });
    start = end;
  }
  if (start < text.length) sentences.push({ text: text.slice(start).trim(), offset: start });
  return sentences.filter((s) => s.text.length > 0);
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 80 ? `${flat.slice(0, 77)}…` : flat;
}
