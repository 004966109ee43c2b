import { createContext, useContext } from "react";

/**
 * The per-response CSP nonce: entry.server.tsx makes one for every document and provides
 * it here, so <Scripts>, <ScrollRestoration> and our own inline script can carry it.
 * In the browser it is empty (scripts are already running by then).
 */
export const NonceContext = createContext<string | undefined>(undefined);

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
