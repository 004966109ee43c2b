/** The maintenance database on the same server, for CREATE/DROP DATABASE. */
export function adminUrl(databaseUrl: string): string {
  return withDatabaseName(databaseUrl, "postgres");
}

export function withDatabaseName(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
