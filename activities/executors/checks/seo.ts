import { z } from 'zod';
import { defineExecutor } from '../../executor';
import { CheckOutputSchema, hasOneSource, loadSource, ONE_SOURCE, round, SourceShape, sortFindings, summarizeCheck, type Finding } from './content';
import { analyzeMarkdown } from './markdown-structure';

const Range = z.object({ min: z.number().int().min(0), max: z.number().int().min(1) });

const SeoInput = z
  .object({
    ...SourceShape,
    requiredFields: z.array(z.string().min(1)).default(['title', 'description']).describe('Front-matter fields that must be present'),
    recommendedFields: z.array(z.string().min(1)).default(['date', 'tags']).describe('Missing ones are warnings'),
    titleLength: Range.default({ min: 10, max: 70 }),
    descriptionLength: Range.default({ min: 50, max: 160 }),
    minWords: z.number().int().min(0).default(300),
    wordsPerMinute: z.number().int().min(50).max(1000).default(230),
  })
  .refine(hasOneSource, ONE_SOURCE);

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export const seoExecutor = defineExecutor({
  type: 'seo',
  description: 'Checks front matter and page structure for search: required fields, title and description length, one H1, image alt text, length',
  input: SeoInput,
  output: CheckOutputSchema,
  async run(input) {
    const source = await loadSource(input);
    const structure = analyzeMarkdown(source.text);
    const fm = structure.frontMatter;
    const data = fm.data ?? {};
    const findings: Finding[] = [];
    const lineOf = (key: string): number => fm.keyLines.get(key) ?? 1;
    const add = (line: number, rule: string, message: string, severity: Finding['severity']): void => {
      findings.push({ line, rule, message, severity });
    };

    if (!fm.present && input.requiredFields.length > 0) add(1, 'front-matter-missing', 'the article has no --- front matter', 'error');
    if (fm.error) add(1, 'front-matter-invalid', `front matter is not valid YAML: ${fm.error}`, 'error');
    if (fm.present && !fm.error) {
      for (const field of input.requiredFields) {
        if (isEmpty(data[field])) add(1, 'missing-field', `front matter has no "${field}"`, 'error');
      }
      for (const field of input.recommendedFields) {
        if (isEmpty(data[field])) add(1, 'recommended-field', `front matter has no "${field}"`, 'warning');
      }
    }
    const title = typeof data.title === 'string' ? data.title.trim() : undefined;
    const description = typeof data.description === 'string' ? data.description.trim() : undefined;
    if (title !== undefined) checkLength(title, 'title', input.titleLength, lineOf('title'), add);
    if (description !== undefined) checkLength(description, 'description', input.descriptionLength, lineOf('description'), add);
    if (data.date !== undefined && !(data.date instanceof Date) && Number.isNaN(Date.parse(String(data.date)))) {
      add(lineOf('date'), 'invalid-date', `date "${String(data.date)}" is not a date (use YYYY-MM-DD)`, 'error');
    }
    if (data.slug !== undefined && !SLUG.test(String(data.slug))) {
      add(lineOf('slug'), 'slug-format', `slug "${String(data.slug)}" should be lower-case words joined by hyphens`, 'warning');
    }

    const h1 = structure.headings.filter((h) => h.level === 1);
    for (const extra of h1.slice(1)) add(extra.line, 'multiple-h1', `a second H1 "${extra.text}"; a page should have one`, 'warning');
    if (h1.length === 0 && title === undefined) add(1, 'missing-title', 'neither a front-matter title nor an H1 heading', 'error');
    for (const image of structure.links.filter((l) => l.image && l.text.trim() === '')) {
      add(image.line, 'image-alt', `image ${image.url} has no alt text`, 'warning');
    }

    const words = structure.blocks
      .filter((b) => b.kind !== 'heading')
      .reduce((sum, block) => sum + block.segments.reduce((n, s) => n + (s.text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu)?.length ?? 0), 0), 0);
    if (words < input.minWords) add(1, 'thin-content', `${words} words; at least ${input.minWords} expected`, 'warning');

    return {
      passed: !findings.some((f) => f.severity === 'error'),
      findings: sortFindings(findings),
      metrics: {
        words,
        readingTimeMinutes: round(words / input.wordsPerMinute),
        titleLength: title?.length ?? 0,
        descriptionLength: description?.length ?? 0,
        headings: structure.headings.length,
        images: structure.links.filter((l) => l.image).length,
        links: structure.links.filter((l) => !l.image).length,
      },
      source: source.name,
    };
  },
  summarize: summarizeCheck,
});

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
}

function checkLength(
  text: string,
  field: string,
  range: { min: number; max: number },
  line: number,
  add: (line: number, rule: string, message: string, severity: Finding['severity']) => void,
): void {
  if (text.length < range.min) add(line, `${field}-length`, `${field} is ${text.length} characters; at least ${range.min} recommended`, 'warning');
  if (text.length > range.max) add(line, `${field}-length`, `${field} is ${text.length} characters; at most ${range.max} recommended`, 'warning');
}
