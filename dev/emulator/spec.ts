// Loads incident.io's OpenAPI facts (dev/reference/incident-io, regenerated from the published spec
// by dev/reference/regenerate.ts) once per process.
import * as fs from "node:fs";

import { OPENAPI_PATH } from "../paths";

/** The schemas and endpoint parameters the emulator uses, without prose (dev/paths.ts). */
export { OPENAPI_PATH };

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
