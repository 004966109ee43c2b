import { describe, expect, it } from "vitest";
import { renderMarkdown } from "./markdown.server";

/* Minutes text is rendered for the public: no script, event handler or dangerous link may survive. */

const ATTACKS = [
  "<script>alert(1)</script>",
  '<img src=x onerror="alert(1)">',
  '<a href="https://example.test" onclick="alert(1)">x</a>',
  '<svg onload="alert(1)"></svg>',
  '<iframe src="https://evil.test"></iframe>',
  "[click](javascript:alert(1))",
  "[click](JaVaScRiPt:alert(1))",
  "[click](vbscript:msgbox(1))",
  "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  "![x](https://tracker.test/pixel.png)",
  '[x](https://example.test "a\\" onmouseover=\\"alert(1)")',
  '<div style="background:url(javascript:alert(1))">x</div>',
  "`<script>` in code is fine",
];

describe("renderMarkdown", () => {
  it("renders the Markdown secretaries use: paragraphs, lists, emphasis and links", () => {
    const html = renderMarkdown(
      "The board **agreed** the plan.\n\n- one\n- two\n\nSee [the report](https://example.test/report?a=1&b=2).",
    );
    expect(html).toContain('<p class="govuk-body">The board <strong>agreed</strong> the plan.</p>');
    expect(html).toContain('<ul class="govuk-list govuk-list--bullet">');
    expect(html).toContain(
      '<a href="https://example.test/report?a=1&amp;b=2" rel="nofollow noopener noreferrer" class="govuk-link">the report</a>',
    );
  });

  it("links bare web addresses", () => {
    expect(renderMarkdown("See https://example.test/x")).toContain('href="https://example.test/x"');
  });

  for (const attack of ATTACKS) {
    it(`never renders markup that runs script: ${attack}`, () => {
      const html = renderMarkdown(attack);
      // Attribute names only: a quoted value (escaped by the renderer) cannot start an attribute.
      const tags = html.replace(/"[^"]*"/g, '""');
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toMatch(/<(img|svg|iframe|div)\b/i);
      // An event handler attribute inside a real tag (escaped text like "&lt;img onerror" is harmless).
      expect(tags).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
      expect(html).not.toMatch(/href="\s*(javascript|vbscript|data):/i);
      expect(tags).not.toMatch(/<[a-z][^>]*\sstyle=/i);
    });
  }

  it("shows raw HTML as text, so nothing typed is lost", () => {
    expect(renderMarkdown("<script>alert(1)</script>")).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });
});
