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

describe("the security middleware", () => {
  const run = async (request: Request) => {
    const { RouterContextProvider } = await import("react-router");
    const { securityMiddleware } = await import("./security.server");
    let reachedAction = false;
    const next = async () => {
      reachedAction = true;
      return new Response("ok");
    };
    const response = (await securityMiddleware(
      {
        request,
        context: new RouterContextProvider(),
        params: {},
        url: new URL(request.url),
        pattern: "/",
      } as never,
      next,
    )) as Response;
    return { response, reachedAction };
  };

  it("refuses a cross-site form post before any action runs, with a 403", async () => {
    const { response, reachedAction } = await run(
      post({ Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" }),
    );
    expect(response.status).toBe(403);
    expect(reachedAction).toBe(false);
    expect(response.headers.get("Content-Security-Policy")).toContain("object-src 'none'");
  });

  it("puts the security headers, with a fresh nonce, on every response", async () => {
    const first = await run(new Request("http://boardledger.test/boards"));
    const second = await run(new Request("http://boardledger.test/boards"));
    expect(first.reachedAction).toBe(true);
    const nonceOf = (r: Response) => r.headers.get("Content-Security-Policy")?.match(/'nonce-([^']+)'/)?.[1];
    expect(nonceOf(first.response)).toBeTruthy();
    expect(nonceOf(first.response)).not.toBe(nonceOf(second.response));
    for (const name of ["X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"]) {
      expect(first.response.headers.get(name)).toBeTruthy();
    }
  });
});

describe("in production", () => {
  it("adds HSTS and drops the development websocket", async () => {
    const { vi } = await import("vitest");
    vi.stubEnv("NODE_ENV", "production");
    try {
      const headers = securityHeaders("n");
      expect(headers["Strict-Transport-Security"]).toMatch(/max-age=\d{8}/);
      expect(headers["Content-Security-Policy"]).not.toContain("ws:");
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
