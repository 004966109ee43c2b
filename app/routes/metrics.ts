import { notFound } from "../auth/authorise.server";
import { mayScrapeMetrics, scrapeMetrics } from "../metrics.server";
import type { Route } from "./+types/metrics";

/* Prometheus metrics for a scraper holding METRICS_TOKEN; 404 for everyone else. */
export async function loader({ request }: Route.LoaderArgs) {
  if (!mayScrapeMetrics(request)) notFound();
  const { contentType, body } = await scrapeMetrics();
  return new Response(body, { headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
}
