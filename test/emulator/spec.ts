// Loads incident.io's OpenAPI facts (test/reference/incident-io, regenerated from the published spec
// by test/reference/regenerate.ts) once per process.
import * as fs from "node:fs";
import * as path from "node:path";

/** The schemas and endpoint parameters the emulator uses, without prose; kept in this repository. */
export const OPENAPI_PATH = path.join(__dirname, "..", "reference", "incident-io", "openapi.facts.json");

export type JsonSchema = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: string;
  components: { schemas: Record<string, JsonSchema> };
  paths: Record<string, unknown>;
}

let cached: OpenApiDocument | undefined;

export function loadSpec(): OpenApiDocument {
  if (!cached) {
    cached = JSON.parse(fs.readFileSync(OPENAPI_PATH, "utf8")) as OpenApiDocument;
  }
  return cached;
}
