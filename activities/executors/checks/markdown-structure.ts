/** The parts of a markdown document the checks look at, each with its line number, from markdown-it's tokens. */
import MarkdownIt from 'markdown-it';
import { splitFrontMatter, type FrontMatter } from './front-matter';

export interface TextSegment {
  line: number;
  text: string;
}

export interface ProseBlock {
  kind: 'paragraph' | 'heading' | 'cell';
  line: number;
  segments: TextSegment[];
}

export interface Heading {
  level: number;
  text: string;
  line: number;
}

export interface LinkRef {
  url: string;
  line: number;
  image: boolean;
  /** Link text, or an image's alt text. */
  text: string;
}

export interface MarkdownStructure {
  frontMatter: FrontMatter;
  blocks: ProseBlock[];
  headings: Heading[];
  links: LinkRef[];
}

const md = new MarkdownIt({ html: true, linkify: true });
type Token = MarkdownIt.Token;

export function analyzeMarkdown(text: string): MarkdownStructure {
  const frontMatter = splitFrontMatter(text);
  const tokens = md.parse(frontMatter.body, {});
  const offset = frontMatter.lineOffset;
  const blocks: ProseBlock[] = [];
  const headings: Heading[] = [];
  const links: LinkRef[] = [];
  let kind: ProseBlock['kind'] | undefined;
  let headingLevel = 0;
  let lastLine = offset + 1;

  for (const token of tokens) {
    if (token.type === 'paragraph_open') kind = 'paragraph';
    else if (token.type === 'heading_open') {
      kind = 'heading';
      headingLevel = Number(token.tag.slice(1));
    } else if (token.type === 'th_open' || token.type === 'td_open') kind = 'cell';
    if (token.map) lastLine = token.map[0] + offset + 1;
    if (token.type !== 'inline' || kind === undefined) continue;

    const block: ProseBlock = { kind, line: lastLine, segments: [] };
    walkInline(token.children ?? [], block.line, block.segments, links);
    blocks.push(block);
    if (kind === 'heading') {
      headings.push({ level: headingLevel, text: block.segments.map((s) => s.text).join('').trim(), line: block.line });
    }
    kind = undefined;
  }
  return { frontMatter, blocks, headings, links };
}

function walkInline(children: Token[], firstLine: number, segments: TextSegment[], links: LinkRef[]): void {
  let line = firstLine;
  let autolinkDepth = 0;
  let openLink: LinkRef | undefined;
  const add = (text: string): void => {
    const last = segments[segments.length - 1];
    if (last && last.line === line) last.text += text;
    else segments.push({ line, text });
  };
  for (const child of children) {
    switch (child.type) {
      case 'softbreak':
      case 'hardbreak':
        line += 1;
        add(' ');
        break;
      case 'text':
        if (openLink) openLink.text += child.content;
        if (autolinkDepth === 0) add(child.content);
        break;
      case 'code_inline':
        add(' ');
        break;
      case 'link_open': {
        openLink = { url: String(child.attrGet('href') ?? ''), line, image: false, text: '' };
        links.push(openLink);
        if (child.markup === 'linkify' || child.markup === 'autolink') autolinkDepth += 1;
        break;
      }
      case 'link_close':
        openLink = undefined;
        if (child.markup === 'linkify' || child.markup === 'autolink') autolinkDepth = Math.max(0, autolinkDepth - 1);
        break;
      case 'image':
        links.push({ url: String(child.attrGet('src') ?? ''), line, image: true, text: child.content });
        break;
      default:
        break;
    }
  }
}

/** The text of a block joined into one string, with a way back from an offset to its line. */
export function joinBlock(block: ProseBlock): { text: string; lineAt(offset: number): number } {
  let text = '';
  const starts: Array<{ offset: number; line: number }> = [];
  for (const segment of block.segments) {
    starts.push({ offset: text.length, line: segment.line });
    text += segment.text;
  }
  return {
    text,
    lineAt(offset) {
      let line = block.line;
      for (const start of starts) {
        if (start.offset > offset) break;
        line = start.line;
      }
      return line;
    },
  };
}

/** A GitHub-style anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
export function slugify(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}
