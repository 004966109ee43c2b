import type { RouteConfig } from "@react-router/dev/routes";
import { flatRoutes } from "@react-router/fs-routes";

// File-based routes under app/routes (flat-routes naming: "boards.$boardId.tsx" is /boards/:boardId).
export default flatRoutes() satisfies RouteConfig;
