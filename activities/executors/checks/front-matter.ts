import { parse } from 'yaml';

export interface FrontMatter {
  /** Parsed fields; undefined when the document has none or it is not valid YAML. */
  data?: Record<string, unknown>;
  error?: string;
  present: boolean;
  /** 1-based line of each top-level key. */
  keyLines: Map<string, number>;
  /** The markdown after the front matter. */
  body: string;
  /** Lines before the body, to add to line numbers found in it. */
  lineOffset: number;
}

const OPEN = /^---[ \t]*\r?$/;
const CLOSE = /^(---|\.\.\.)[ \t]*\r?$/;

/** Splits `---` YAML front matter from the markdown that follows it. */
export function splitFrontMatter(text: string): FrontMatter {
  const lines = text.split('\n');
  const none: FrontMatter = { present: false, keyLines: new Map(), body: text, lineOffset: 0 };
  if (!OPEN.test(lines[0] ?? '')) return none;
  const end = lines.findIndex((line, index) => index > 0 && CLOSE.test(line));
  if (end < 0) return none;
  const yamlLines = lines.slice(1, end);
  const keyLines = new Map<string, number>();
  yamlLines.forEach((line, index) => {
    const key = /^([A-Za-z_][\w-]*)\s*:/.exec(line)?.[1];
    if (key && !keyLines.has(key)) keyLines.set(key, index + 2);
  });
  const result: FrontMatter = { present: true, keyLines, body: lines.slice(end + 1).join('\n'), lineOffset: end + 1 };
  try {
    const data: unknown = parse(yamlLines.join('\n'));
    if (data === null || data === undefined) result.data = {};
    else if (typeof data === 'object' && !Array.isArray(data)) result.data = data as Record<string, unknown>;
    else result.error = 'front matter is not a mapping of fields';
  } catch (err) {
    result.error = (err as Error).message.split('\n')[0];
  }
  return result;
}
