/** Reading pipeline files (YAML or JSON) with line numbers for every issue. Node only. */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { PipelineValidationError, type ValidationIssue } from './issues';
import type { Pipeline } from './schema';
import { validatePipeline, type ValidateOptions, type ValidationResult } from './validate';

export type PipelineFormat = 'yaml' | 'json';

export interface ParseOptions extends Omit<ValidateOptions, 'lineOf' | 'file'> {
  file?: string;
  /** Defaults to the file extension, else JSON when the text starts with `{`, else YAML. */
  format?: PipelineFormat;
}

export interface ParsedSource {
  /** The parsed data, when the text is well-formed. */
  data?: unknown;
  lineOf: (path: (string | number)[]) => number | undefined;
  issues: ValidationIssue[];
}

export function detectFormat(text: string, file?: string): PipelineFormat {
  const extension = file ? extname(file).toLowerCase() : '';
  if (extension === '.json') return 'json';
  if (extension === '.yaml' || extension === '.yml') return 'yaml';
  return text.trimStart().startsWith('{') ? 'json' : 'yaml';
}

function lineLocator(doc: Document, counter: LineCounter): (path: (string | number)[]) => number | undefined {
  return (path) => {
    const node = path.length === 0 ? doc.contents : doc.getIn(path, true);
    if (!isNode(node) || !node.range) return undefined;
    return counter.linePos(node.range[0]).line;
  };
}

function jsonSyntaxIssue(text: string, error: unknown, file: string | undefined, fallbackLine: number | undefined): ValidationIssue {
  const message = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ');
  const position = /position (\d+)/.exec(message);
  const line = position ? text.slice(0, Number(position[1])).split('\n').length : fallbackLine;
  const issue: ValidationIssue = { path: '', message: `invalid JSON: ${message}`, hint: 'fix the JSON syntax (a missing comma, quote or bracket is the usual cause)' };
  if (file !== undefined) issue.file = file;
  if (line !== undefined) issue.line = line;
  return issue;
}

/** Parses YAML or JSON text into data plus a path → line locator; syntax errors become issues with lines. */
/** How to fix a YAML syntax error, by the parser's code (and message, where one code covers several mistakes). */
function yamlHint(code: string, message: string): string {
  if (code === 'DUPLICATE_KEY') return 'remove or rename the repeated key';
  if (code === 'TAB_AS_INDENT') return 'indent with spaces: YAML does not allow tabs for indentation';
  if (code === 'MULTILINE_IMPLICIT_KEY') return 'write a key, a colon and a space before its value (uses: echo); quote a value that holds ": "';
  if (/without - indicator/.test(message)) return 'line this key up with the keys above it (the same number of spaces), or start a list item with "- "';
  if (/closing .?quote/i.test(message)) return 'close the quoted string on the same line, or use a block scalar (|) for text over several lines';
  if (code === 'BAD_INDENT') return 'line this line up with the others of its map or list (the same number of spaces); end a { } or [ ] on its own line';
  return 'fix the YAML syntax (indentation, a missing colon or an unclosed quote are the usual causes)';
}

export function parseSource(text: string, options: { file?: string; format?: PipelineFormat } = {}): ParsedSource {
  const tooDeep = nestingIssue(text, options.file);
  if (tooDeep) return { lineOf: () => undefined, issues: [tooDeep] };
  const format = options.format ?? detectFormat(text, options.file);
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const lineOf = doc.errors.length === 0 ? lineLocator(doc, counter) : () => undefined;
  if (format === 'json') {
    try {
      return { data: JSON.parse(text) as unknown, lineOf, issues: [] };
    } catch (error) {
      const yamlError = doc.errors[0];
      const fallbackLine = yamlError ? counter.linePos(yamlError.pos[0]).line : undefined;
      return { lineOf, issues: [jsonSyntaxIssue(text, error, options.file, fallbackLine)] };
    }
  }
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((error) => {
      const message = error.message.split('\n')[0] ?? error.message;
      const issue: ValidationIssue = { path: '', message: `invalid YAML: ${message}`, hint: yamlHint(error.code, message) };
      if (options.file !== undefined) issue.file = options.file;
      issue.line = counter.linePos(error.pos[0]).line;
      return issue;
    });
    return { lineOf, issues };
  }
  try {
    return { data: doc.toJS({ maxAliasCount: 100 }) as unknown, lineOf, issues: [] };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = [...text.matchAll(/\*([\w-]+)/g)].find((m) => !text.slice(0, m.index).includes(`&${m[1]}`))?.index ?? -1;
    const issue: ValidationIssue = {
      path: '',
      message: `invalid YAML: ${message}`,
      hint: 'define each anchor (&name) before an alias (*name) refers to it, or write the value out',
    };
    if (options.file !== undefined) issue.file = options.file;
    if (at >= 0) issue.line = counter.linePos(at).line;
    return { lineOf, issues: [issue] };
  }
}

/** Documents nested deeper than any pipeline needs are refused before a recursive parser sees them. */
export const MAX_NESTING = 64;

function nestingIssue(text: string, file: string | undefined): ValidationIssue | undefined {
  let depth = 0;
  let quote: string | undefined;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') line += 1;
    if (quote) {
      if (ch === '\\') i += 1;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[' || ch === '{') depth += 1;
    else if (ch === ']' || ch === '}') depth -= 1;
    const indent = ch === '\n' ? /^ */.exec(text.slice(i + 1, i + 1 + 2 * MAX_NESTING + 1))?.[0].length ?? 0 : 0;
    if (depth > MAX_NESTING || indent > 2 * MAX_NESTING) {
      const issue: ValidationIssue = {
        path: '',
        line: indent > 2 * MAX_NESTING ? line + 1 : line,
        message: `the document is nested more than ${MAX_NESTING} levels deep`,
        hint: 'flatten the data; pass large structures by reference (a file path or URL) instead',
      };
      if (file !== undefined) issue.file = file;
      return issue;
    }
  }
  return undefined;
}

/** Parses and validates pipeline text; issues carry the file and line. */
export function parsePipelineText(text: string, options: ParseOptions = {}): ValidationResult {
  const source = parseSource(text, options);
  if (source.issues.length > 0) return { ok: false, issues: source.issues };
  const validateOptions: ValidateOptions = { lineOf: source.lineOf };
  if (options.file !== undefined) validateOptions.file = options.file;
  if (options.executorTypes !== undefined) validateOptions.executorTypes = options.executorTypes;
  if (options.catalog !== undefined) validateOptions.catalog = options.catalog;
  if (options.unknownExecutors !== undefined) validateOptions.unknownExecutors = options.unknownExecutors;
  return validatePipeline(source.data, validateOptions);
}

/** Reads and validates a pipeline file (`.yaml`, `.yml` or `.json`). */
export function loadPipelineFile(path: string, options: Omit<ParseOptions, 'file'> = {}): ValidationResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : error instanceof Error ? error.message : String(error);
    return { ok: false, issues: [{ file: path, path: '', message: `cannot read the pipeline file: ${reason}`, hint: 'check the path and that the file is readable' }] };
  }
  return parsePipelineText(text, { ...options, file: path });
}

/** Like loadPipelineFile, but returns the pipeline or throws PipelineValidationError. */
export function readPipelineFile(path: string, options: Omit<ParseOptions, 'file'> = {}): Pipeline {
  const result = loadPipelineFile(path, options);
  if (!result.ok) throw new PipelineValidationError(result.issues, `invalid pipeline file ${path}`);
  return result.pipeline;
}
