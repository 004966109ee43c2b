/**
 * Reads CSV back as RFC 4180 defines it (quoted fields with doubled quotes, CRLF between
 * records), strictly: a stray quote or an unterminated field throws, so a test that parses
 * an export also proves it was written correctly. A leading byte-order mark is skipped.
 */
export function parseCsv(text: string): string[][] {
  const input = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let i = 0;
  let atFieldStart = true;
  while (i < input.length) {
    const c = input[i];
    if (atFieldStart && c === '"') {
      // A quoted field: up to the closing quote; "" is a quote.
      i++;
      for (;;) {
        if (i >= input.length) throw new Error("Unterminated quoted field");
        if (input[i] === '"') {
          if (input[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += input[i];
        i++;
      }
      atFieldStart = false;
      if (i < input.length && input[i] !== "," && input[i] !== "\r") {
        throw new Error(`Unexpected character after a quoted field at ${i}`);
      }
      continue;
    }
    if (c === ",") {
      record.push(field);
      field = "";
      atFieldStart = true;
      i++;
      continue;
    }
    if (c === "\r") {
      if (input[i + 1] !== "\n") throw new Error(`A bare CR at ${i}`);
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      atFieldStart = true;
      i += 2;
      continue;
    }
    if (c === '"' || c === "\n") throw new Error(`A stray ${c === '"' ? "quote" : "LF"} at ${i}`);
    field += c;
    atFieldStart = false;
    i++;
  }
  if (field !== "" || record.length > 0) throw new Error("The last record does not end with CRLF");
  return records;
}
