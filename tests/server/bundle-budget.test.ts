import { describe, expect, it } from "vitest";
import { BUDGET_BYTES, routeWeights } from "../../scripts/bundle-budget";

/* The front-end budget on the production build (run after `npm run build`). */
describe("each route's JavaScript, gzipped", () => {
  const weights = routeWeights();

  it("is measured for every page, counting what the page really imports", () => {
    expect(weights.length).toBeGreaterThan(30);
    const byRoute = new Map(weights.map((w) => [w.route, w]));
    // The action log uses the data table; the 404 page does not.
    expect(byRoute.get("actions._index")!.gzipBytes).toBeGreaterThan(byRoute.get("$")!.gzipBytes + 10_000);
    for (const w of weights) expect(w.pageGzipBytes).toBeGreaterThan(w.gzipBytes);
  });

  it("stays within 150 KB on every page", () => {
    const over = weights
      .filter((w) => w.gzipBytes > BUDGET_BYTES)
      .map((w) => `${w.route}: ${w.gzipBytes} bytes`);
    expect(over).toEqual([]);
  });
});
