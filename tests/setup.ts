import { afterAll, afterEach, beforeAll } from "vitest";
import { server } from "./mocks/server";

// Any outbound HTTP request that no test mocked fails the test: nothing leaves the machine.
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());
