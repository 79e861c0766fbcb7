// Regenerates dev/reference/ from the published sources in ../shared (incident.io's OpenAPI spec,
// External Secrets Operator's ExternalSecret CRD, Alertmanager's configuration reference), reduced
// to the facts the tests use: schemas without prose, and the incidentio_config rules.
//
//   npm run regenerate-reference            # reads ../shared beside the checkout
//   npm run regenerate-reference -- <dir>    # or another copy of it
//
// The output is deterministic (sorted keys), so a re-run with unchanged sources changes no byte.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

import * as YAML from "yaml";

import { REFERENCE_DIR } from "../paths";

export { REFERENCE_DIR };

/** The incident.io schemas the emulator and the tests validate against; everything they refer to comes along. */
export const OPENAPI_ROOTS = [
    "AlertRoutesCreatePayloadV2",
    "AlertRoutesUpdatePayloadV2",
    "AlertRoutesShowResultV2",
    "AlertRoutesListResultV2",
    "AlertSourcesShowResultV2",
    "AlertSourcesListResultV2",
    "AlertSourcesCreatePayloadV2",
    "AlertSourcesUpdatePayloadV2",
    "AlertSourcesValidatePayloadV2",
    "AlertSourcesCreateResultV2",
    "AlertSourcesUpdateResultV2",
    "AlertAttributesListResultV2",
    "AlertAttributesShowResultV2",
    "AlertAttributesCreatePayloadV2",
    "AlertAttributesUpdatePayloadV2",
    "AlertAttributesCreateResultV2",
    "AlertAttributesUpdateResultV2",
    "EscalationsListPathsResultV2",
    "ManagedResourcesCreateManagedResourcePayloadV2",
    "ManagedResourcesCreateManagedResourceResultV2",
    "UtilitiesIdentityResultV1",
];

/** The endpoints the emulator serves: their parameters (page sizes, limits) come from the spec. */
export const OPENAPI_OPERATIONS: Array<[string, string]> = [
    ["get", "/v2/alert_routes"],
    ["get", "/v2/alert_sources"],
    ["get", "/v2/alert_attributes"],
    ["get", "/v2/escalation_paths"],
];

/** Keys that carry prose or samples, not rules. */
const PROSE_KEYS = new Set(["description", "example", "examples", "title", "externalDocs", "summary"]);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Drops prose keys and sorts object keys, recursively. Keys named like a prose key inside `properties` are field names and stay. */
export function factsOnly(value: Json, inProperties = false): Json {
    if (Array.isArray(value)) return value.map((v) => factsOnly(v));
    if (value === null || typeof value !== "object") return value;
    const out: { [key: string]: Json } = {};
    for (const key of Object.keys(value).sort()) {
        if (!inProperties && (PROSE_KEYS.has(key) || key.startsWith("x-"))) continue;
        out[key] = factsOnly(value[key], !inProperties && key === "properties");
    }
    return out;
}

/** Every component schema reachable from `roots` through `$ref`s. */
export function reachableSchemas(schemas: Record<string, Json>, roots: string[]): string[] {
    const seen = new Set<string>();
    const visit = (name: string) => {
        if (seen.has(name)) return;
        if (!(name in schemas)) throw new Error(`the spec has no schema ${name}`);
        seen.add(name);
        const refs = JSON.stringify(schemas[name]).match(/"#\/components\/schemas\/[^"]+"/g) ?? [];
        for (const ref of refs) visit(ref.slice('"#/components/schemas/'.length, -1));
    };
    roots.forEach(visit);
    return [...seen].sort();
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

export function openapiReference(specText: string): Json {
    const spec = JSON.parse(specText);
    const names = reachableSchemas(spec.components.schemas, OPENAPI_ROOTS);
    const paths: Record<string, Json> = {};
    for (const [method, p] of OPENAPI_OPERATIONS) {
        const op = spec.paths?.[p]?.[method];
        if (!op) throw new Error(`the spec has no ${method.toUpperCase()} ${p}`);
        paths[p] = { ...((paths[p] as object) ?? {}), [method]: { parameters: op.parameters ?? [], responses: op.responses } };
    }
    return factsOnly({
        source: { file: "incident-io/openapi.json", sha256: sha256(specText), version: spec.info?.version ?? null },
        openapi: spec.openapi,
        paths,
        components: { schemas: Object.fromEntries(names.map((n) => [n, spec.components.schemas[n]])) },
    } as Json);
}

export function externalSecretReference(crdText: string): Json {
    const crd = YAML.parse(crdText);
    const v1 = crd.spec.versions.find((v: { name: string }) => v.name === "v1");
    if (!v1?.served) throw new Error("the CRD does not serve external-secrets.io/v1");
    return factsOnly({
        source: { file: "schemas/external-secrets.io_externalsecrets.yaml", sha256: sha256(crdText) },
        group: crd.spec.group,
        kind: crd.spec.names.kind,
        version: v1.name,
        served: v1.served,
        openAPIV3Schema: v1.schema.openAPIV3Schema,
    });
}

/** The text of one `### \`<name>\`` section of Alertmanager's configuration reference. */
function section(text: string, name: string): string {
    const start = text.indexOf(`### \`<${name}>\``);
    if (start < 0) throw new Error(`the reference has no <${name}> section`);
    const end = text.indexOf("\n### ", start + 1);
    return text.slice(start, end < 0 ? undefined : end);
}

/** Keys documented in a section's yaml block (`key: <type>` or `[ key: <type> ... ]`), with their types. */
function documentedFields(block: string): Record<string, string> {
    const fields: Record<string, string> = {};
    for (const m of block.matchAll(/^[ \t]*\[?[ \t]*([a-z0-9_]+):[ \t]*(<[^>\n]+>)?/gm)) fields[m[1]] ??= m[2] ?? "";
    return fields;
}

/** "# A and B are mutually exclusive." comments of a yaml block, as field pairs. */
function mutuallyExclusive(block: string, fields: string[]): string[][] {
    const pairs: string[][] = [];
    for (const m of block.matchAll(/#\s*(\S+) and (\S+) are mutually exclusive/g)) {
        const pair = [m[1], m[2]].map((w) => fields.find((f) => f.toLowerCase() === w.toLowerCase()));
        if (pair.some((p) => !p)) throw new Error(`"${m[0]}" names a field the block does not document`);
        pairs.push(pair as string[]);
    }
    return pairs;
}

export function alertmanagerReference(mdText: string): Json {
    const yamlBlock = (name: string) => /```yaml\n([\s\S]*?)```/.exec(section(mdText, name))?.[1] ?? "";
    const incidentio = yamlBlock("incidentio_config");
    const receiver = yamlBlock("receiver");
    const incidentioFields = documentedFields(incidentio);
    const receiverFields = documentedFields(receiver);
    // `incidentio_configs:` is followed by `[ - <incidentio_config>, ... ]` on the next line.
    const listOf = /incidentio_configs:\s*\n\s*\[ - <([a-z_]+)>, \.\.\. \]/.exec(receiver)?.[1];
    if (listOf !== "incidentio_config")
        throw new Error("the <receiver> section no longer lists incidentio_configs as [ - <incidentio_config>, ... ]");
    return factsOnly({
        source: { file: "schemas/alertmanager-configuration.md", sha256: sha256(mdText) },
        incidentio_config: {
            fields: incidentioFields,
            mutually_exclusive: mutuallyExclusive(incidentio, Object.keys(incidentioFields)),
        },
        receiver: { fields: Object.keys(receiverFields).sort(), incidentio_configs: listOf },
    });
}

export const OUTPUTS = {
    openapi: path.join(REFERENCE_DIR, "incident-io", "openapi.facts.json"),
    externalSecret: path.join(REFERENCE_DIR, "external-secrets", "externalsecret-v1.schema.json"),
    alertmanager: path.join(REFERENCE_DIR, "alertmanager", "incidentio-config.rules.json"),
};

export function regenerate(sharedDir: string): string[] {
    const read = (p: string) => {
        const file = path.join(sharedDir, p);
        if (!fs.existsSync(file)) throw new Error(`missing ${file}: pass the folder holding incident-io/ and schemas/ (default ../shared)`);
        return fs.readFileSync(file, "utf8");
    };
    const outputs: Array<[string, Json]> = [
        [OUTPUTS.openapi, openapiReference(read("incident-io/openapi.json"))],
        [OUTPUTS.externalSecret, externalSecretReference(read("schemas/external-secrets.io_externalsecrets.yaml"))],
        [OUTPUTS.alertmanager, alertmanagerReference(read("schemas/alertmanager-configuration.md"))],
    ];
    for (const [file, json] of outputs) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, `${JSON.stringify(json, null, 1)}\n`);
    }
    return outputs.map(([file]) => file);
}

if (require.main === module) {
    const shared = path.resolve(
        process.env.INIT_CWD ?? process.cwd(),
        process.argv[2] ?? path.join(REFERENCE_DIR, "..", "..", "..", "shared"),
    );
    try {
        for (const file of regenerate(shared)) process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
    } catch (error) {
        process.stderr.write(`${(error as Error).message}\nNothing was written past that point.\n`);
        process.exitCode = 1;
    }
}
