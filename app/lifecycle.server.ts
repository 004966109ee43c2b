/*
 * What must happen before the process exits. Parts of the server that hold work in flight
 * (the job worker, open database pools) register a hook; the server's SIGTERM handling runs
 * them once, in reverse order of registration, and waits for each.
 */

type ShutdownHook = { name: string; run: () => Promise<void> };

const globalForLifecycle = globalThis as typeof globalThis & { __boardledgerShutdownHooks?: ShutdownHook[] };

function hooks(): ShutdownHook[] {
  globalForLifecycle.__boardledgerShutdownHooks ??= [];
  return globalForLifecycle.__boardledgerShutdownHooks;
}

/** Registers (or replaces, by name, after a hot reload) a hook to run at shutdown. */
export function onShutdown(name: string, run: () => Promise<void>): void {
  const list = hooks();
  const existing = list.findIndex((hook) => hook.name === name);
  if (existing >= 0) list.splice(existing, 1);
  list.push({ name, run });
}

/** Runs every hook, last registered first; a failing hook does not stop the others. */
export async function runShutdownHooks(): Promise<void> {
  const list = hooks().splice(0).reverse();
  for (const hook of list) {
    try {
      await hook.run();
    } catch (error) {
      console.error(`shutdown: ${hook.name} failed`, error);
    }
  }
}
