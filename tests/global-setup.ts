import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../db/client";
import { migrateToLatest } from "../db/migrate";
import { adminUrl, withDatabaseName } from "./database-urls";

/*
 * Prepares one migrated template that every test file clones, so each file gets a fresh,
 * isolated database in milliseconds instead of re-running migrations:
 * - PGlite: a dump of a migrated data directory, loaded into a new in-memory instance;
 * - PostgreSQL (DATABASE_URL set): a template database, copied with CREATE DATABASE … TEMPLATE.
 */
export default async function setup(project: TestProject) {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const handle = openDatabase({ dataDir: "memory://" });
    await migrateToLatest(handle.db);
    const dump = await handle.pglite!.dumpDataDir("none");
    const dir = path.resolve("node_modules/.cache/boardledger-tests");
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `template-${process.pid}.tar`);
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    await handle.close();
    project.provide("pgliteTemplate", file);
    return;
  }

  const templateName = `bl_template_${randomBytes(4).toString("hex")}`;
  const admin = openDatabase({ databaseUrl: adminUrl(databaseUrl), poolSize: 1 });
  const { sql } = await import("kysely");
  await sql.raw(`create database ${templateName}`).execute(admin.db);
  const template = openDatabase({ databaseUrl: withDatabaseName(databaseUrl, templateName), poolSize: 1 });
  await migrateToLatest(template.db);
  await template.close();
  project.provide("postgresTemplate", templateName);

  return async () => {
    await sql.raw(`drop database if exists ${templateName} with (force)`).execute(admin.db);
    await admin.close();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplate?: string;
    postgresTemplate?: string;
  }
}
