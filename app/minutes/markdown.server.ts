import MarkdownIt from "markdown-it";

/*
 * Minutes text is Markdown, rendered on the server (markdown-it never reaches the browser
 * bundle). Safe by construction rather than by cleaning afterwards:
 * - html: false: raw HTML in the text is shown as text, never as markup;
 * - markdown-it's own link check refuses javascript:, vbscript:, file: and data: links;
 * - images are switched off (no tracking pixels or remote content on public pages);
 * - links open normally but carry rel="nofollow noopener noreferrer".
 */

const markdown = new MarkdownIt("default", { html: false, linkify: true, typographer: false });
markdown.disable(["image"]);

const defaultLinkOpen =
  markdown.renderer.rules.link_open ??
  ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
markdown.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  if (token) {
    token.attrSet("rel", "nofollow noopener noreferrer");
    token.attrJoin("class", "govuk-link");
  }
  return defaultLinkOpen(tokens, idx, options, env, self);
};

// GOV.UK typography for the elements Markdown produces.
const CLASSES: Record<string, string> = {
  paragraph_open: "govuk-body",
  bullet_list_open: "govuk-list govuk-list--bullet",
  ordered_list_open: "govuk-list govuk-list--number",
  table_open: "govuk-table",
  blockquote_open: "govuk-inset-text",
};
for (const [rule, className] of Object.entries(CLASSES)) {
  const original =
    markdown.renderer.rules[rule] ??
    ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  markdown.renderer.rules[rule] = (tokens, idx, options, env, self) => {
    tokens[idx]?.attrJoin("class", className);
    return original(tokens, idx, options, env, self);
  };
}

/** Minutes Markdown as HTML that is safe to put in a page or a feed. */
export function renderMarkdown(text: string): string {
  return markdown.render(text);
}
