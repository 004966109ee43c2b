import { z } from "zod";

/*
 * Pagination cursors: opaque to clients (base64url of a small JSON value), they name a
 * position in a list's order (its sort key and id: keyset pagination), never an offset, so
 * a page never repeats or skips an item when others are added. Each list has its own kind,
 * so a cursor from one list is refused by another.
 */

export function encodeCursor(kind: string, key: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify({ kind, ...key }), "utf8").toString("base64url");
}

/** The key a cursor holds, or null if it is not a cursor of this kind. */
export function decodeCursor<T extends z.ZodRawShape>(
  kind: string,
  cursor: string,
  shape: T,
): z.infer<z.ZodObject<T>> | null {
  if (!/^[A-Za-z0-9_-]{1,500}$/.test(cursor)) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  const parsed = z.strictObject({ kind: z.literal(kind), ...shape }).safeParse(value);
  if (!parsed.success) return null;
  const { kind: _kind, ...key } = parsed.data as { kind: string } & z.infer<z.ZodObject<T>>;
  return key as z.infer<z.ZodObject<T>>;
}
