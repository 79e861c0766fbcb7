// Validates an ExternalSecret against External Secrets Operator's CRD (v1 openAPIV3Schema) from
// ../shared. The API server prunes unknown fields silently, so the schema is closed here: a typo'd
// field fails the test instead of vanishing on apply.
import * as fs from "node:fs";
import * as path from "node:path";

import Ajv from "ajv";
import addFormats from "ajv-formats";
import * as YAML from "yaml";

import { SHARED_DIR } from "./harness";

const CRD_FILE = path.join(SHARED_DIR, "schemas", "external-secrets.io_externalsecrets.yaml");

type Schema = Record<string, any>;

function close(schema: Schema): void {
    if (!schema || typeof schema !== "object") return;
    if (schema.properties && !("additionalProperties" in schema) && !schema["x-kubernetes-preserve-unknown-fields"]) {
        schema.additionalProperties = false;
    }
    for (const child of Object.values(schema.properties ?? {})) close(child as Schema);
    if (schema.items) close(schema.items);
    if (typeof schema.additionalProperties === "object") close(schema.additionalProperties);
    for (const key of ["allOf", "anyOf", "oneOf"]) for (const s of schema[key] ?? []) close(s);
}

let validate: ReturnType<Ajv["compile"]> | undefined;

/** Problems with `manifest` as an external-secrets.io/v1 ExternalSecret; [] when valid. */
export function externalSecretProblems(manifest: unknown): string[] {
    if (!validate) {
        if (!fs.existsSync(CRD_FILE)) throw new Error(`missing ${CRD_FILE}: the tests read the reference schemas from ../shared (see shared/README.md)`);
        const crd = YAML.parse(fs.readFileSync(CRD_FILE, "utf8"));
        const v1 = crd.spec.versions.find((v: { name: string }) => v.name === "v1");
        if (!v1?.served) throw new Error("the CRD does not serve external-secrets.io/v1");
        const schema = structuredClone(v1.schema.openAPIV3Schema) as Schema;
        close(schema);
        const ajv = new Ajv({ strict: false, allErrors: true });
        addFormats(ajv);
        validate = ajv.compile(schema);
    }
    const problems = validate(manifest) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
    const m = manifest as { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string } };
    // What the CRD's schema leaves to the API server.
    if (m.apiVersion !== "external-secrets.io/v1") problems.push(`apiVersion is ${m.apiVersion}, want external-secrets.io/v1`);
    if (m.kind !== "ExternalSecret") problems.push(`kind is ${m.kind}, want ExternalSecret`);
    for (const field of ["name", "namespace"] as const) {
        const value = m.metadata?.[field];
        if (!value || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value) || value.length > 63) problems.push(`metadata.${field} "${value}" is not a DNS-1123 label`);
    }
    return problems;
}
