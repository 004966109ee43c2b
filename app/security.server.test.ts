import { describe, expect, it } from "vitest";
import { isCrossSiteWrite, securityHeaders } from "./security.server";

const post = (headers: Record<string, string>) =>
  new Request("http://boardledger.test/boards/1", {
    method: "POST",
    headers: { Host: "boardledger.test", ...headers },
  });

describe("CSRF check", () => {
  it("refuses a cross-site form post", () => {
    expect(isCrossSiteWrite(post({ Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" }))).toBe(
      true,
    );
    expect(isCrossSiteWrite(post({ Origin: "https://evil.example" }))).toBe(true);
    expect(isCrossSiteWrite(post({ Origin: "null" }))).toBe(true);
    expect(isCrossSiteWrite(post({ "Sec-Fetch-Site": "same-site" }))).toBe(true);
  });

  it("accepts same-origin posts, reads, and bearer-token API calls", () => {
    expect(
      isCrossSiteWrite(post({ Origin: "http://boardledger.test", "Sec-Fetch-Site": "same-origin" })),
    ).toBe(false);
    expect(isCrossSiteWrite(post({}))).toBe(false);
    expect(
      isCrossSiteWrite(
        new Request("http://boardledger.test/", { headers: { Origin: "https://evil.example" } }),
      ),
    ).toBe(false);
    expect(isCrossSiteWrite(post({ Origin: "https://evil.example", Authorization: "Bearer abc" }))).toBe(
      false,
    );
  });
});

describe("security headers", () => {
  it("sets a strict CSP with the response's nonce", () => {
    const headers = securityHeaders("abc123");
    const csp = headers["Content-Security-Policy"]!;
    expect(csp).toContain("script-src 'self' 'nonce-abc123'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(headers["X-Content-Type-Options"]).toBe("nosniff");
    expect(headers["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
  });
});
