// Loads incident.io's OpenAPI document (vendored under shared/incident-io) once per process.
import * as fs from "node:fs";
import * as path from "node:path";

/** shared/incident-io/openapi.json, relative to this repository. */
export const OPENAPI_PATH = path.join(__dirname, "..", "..", "..", "shared", "incident-io", "openapi.json");

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
