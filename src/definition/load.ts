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
export function parseSource(text: string, options: { file?: string; format?: PipelineFormat } = {}): ParsedSource {
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
      const issue: ValidationIssue = {
        path: '',
        message: `invalid YAML: ${error.message.split('\n')[0] ?? error.message}`,
        hint: error.code === 'DUPLICATE_KEY' ? 'remove or rename the repeated key' : 'fix the YAML syntax (indentation, a missing colon or an unclosed quote are the usual causes)',
      };
      if (options.file !== undefined) issue.file = options.file;
      issue.line = counter.linePos(error.pos[0]).line;
      return issue;
    });
    return { lineOf, issues };
  }
  return { data: doc.toJS({ maxAliasCount: 100 }) as unknown, lineOf, issues: [] };
}

/** Parses and validates pipeline text; issues carry the file and line. */
export function parsePipelineText(text: string, options: ParseOptions = {}): ValidationResult {
  const source = parseSource(text, options);
  if (source.issues.length > 0) return { ok: false, issues: source.issues };
  const validateOptions: ValidateOptions = { lineOf: source.lineOf };
  if (options.file !== undefined) validateOptions.file = options.file;
  if (options.executorTypes !== undefined) validateOptions.executorTypes = options.executorTypes;
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
