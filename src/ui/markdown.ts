/**
 * Markdown from step outputs (reports, summaries), rendered so it can never run in the page: raw HTML is
 * off (shown as text), links only to http(s) and mailto with rel="noopener noreferrer nofollow", images
 * shown as links (no requests from the page to hosts a step names). The page's Content-Security-Policy
 * stops inline script as a second line.
 */
import MarkdownIt from 'markdown-it';

const SAFE_LINK = /^(https?:|mailto:|#)/i;

function createRenderer(): InstanceType<typeof MarkdownIt> {
  const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
  md.validateLink = (url: string): boolean => SAFE_LINK.test(url.trim());
  const defaultOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    if (token) {
      token.attrSet('rel', 'noopener noreferrer nofollow');
      token.attrSet('target', '_blank');
    }
    return defaultOpen(tokens, idx, options, env, self);
  };
  md.renderer.rules.image = (tokens, idx) => {
    const token = tokens[idx];
    const src = String(token?.attrGet('src') ?? '');
    const alt = md.utils.escapeHtml(String(token?.content || 'image'));
    return SAFE_LINK.test(src) ? `<a href="${md.utils.escapeHtml(src)}" rel="noopener noreferrer nofollow" target="_blank">[${alt}]</a>` : `[${alt}]`;
  };
  return md;
}

const renderer = createRenderer();

/** Markdown as HTML that carries no script, no raw HTML and no link to a scheme other than http(s) or mailto. */
export function renderMarkdown(source: string): string {
  return renderer.render(source);
}
