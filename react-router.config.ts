import type { Config } from "@react-router/dev/config";

export default {
  ssr: true,
  // Middleware carries the CSRF check and security headers for every request (app/security.server.ts).
  future: { v8_middleware: true },
} satisfies Config;
