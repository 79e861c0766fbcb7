// Request/response validation against the OpenAPI component schemas, with ajv.
//
// Two schema sets are built from components.schemas:
//  - "open":   exactly as in the spec (used to check responses);
//  - "closed": every object schema that lists `properties` but says nothing about
//              `additionalProperties` gets `additionalProperties: false`, recursively,
//              so a typo'd key in a request body is reported instead of ignored.
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { loadSpec, type JsonSchema } from "./spec";

export interface ValidationProblem {
    /** incident.io error code: "is_required" or "invalid_value". */
    code: string;
    message: string;
    /** Dotted JSON path, e.g. "alert_sources.0.alert_source_id"; "" for the body itself. */
    field: string;
}

const SCHEMA_SET_ID = "incident-io-openapi";

function deepClone<T>(value: T): T {
    return JSON.parse(JSON.stringify(value)) as T;
}

/** Adds `additionalProperties: false` to every open object schema below `node`. */
function closeSchema(node: unknown): void {
    if (!node || typeof node !== "object" || Array.isArray(node)) return;
    const schema = node as JsonSchema;
    const props = schema.properties as Record<string, unknown> | undefined;
    const composed = "allOf" in schema || "anyOf" in schema || "oneOf" in schema;
    if (props && typeof props === "object") {
        if (!("additionalProperties" in schema) && !composed) schema.additionalProperties = false;
        for (const child of Object.values(props)) closeSchema(child);
    }
    closeSchema(schema.items);
    if (typeof schema.additionalProperties === "object") closeSchema(schema.additionalProperties);
    for (const key of ["allOf", "anyOf", "oneOf"]) {
        const list = schema[key];
        if (Array.isArray(list)) list.forEach(closeSchema);
    }
    closeSchema(schema.not);
}

class SchemaSet {
    private readonly ajv: Ajv;
    private readonly compiled = new Map<string, ValidateFunction>();

    constructor(schemas: Record<string, JsonSchema>) {
        this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
        addFormats(this.ajv);
        this.ajv.addSchema({ $id: SCHEMA_SET_ID, components: { schemas } });
    }

    validator(name: string): ValidateFunction {
        let fn = this.compiled.get(name);
        if (!fn) {
            fn = this.ajv.compile({ $ref: `${SCHEMA_SET_ID}#/components/schemas/${name}` });
            this.compiled.set(name, fn);
        }
        return fn;
    }
}

let openSet: SchemaSet | undefined;
let closedSet: SchemaSet | undefined;

function open(): SchemaSet {
    return (openSet ??= new SchemaSet(loadSpec().components.schemas));
}

function closed(): SchemaSet {
    if (!closedSet) {
        const schemas = deepClone(loadSpec().components.schemas);
        for (const schema of Object.values(schemas)) closeSchema(schema);
        closedSet = new SchemaSet(schemas);
    }
    return closedSet;
}

function pointerToField(pointer: string): string {
    if (!pointer) return "";
    return pointer
        .slice(1)
        .split("/")
        .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
        .join(".");
}

function join(parent: string, child: string): string {
    return parent ? `${parent}.${child}` : child;
}

function toProblem(err: ErrorObject): ValidationProblem {
    const at = pointerToField(err.instancePath);
    const params = err.params as Record<string, unknown>;
    switch (err.keyword) {
        case "required": {
            const field = join(at, String(params.missingProperty));
            return { code: "is_required", field, message: `${field} is required` };
        }
        case "additionalProperties": {
            const field = join(at, String(params.additionalProperty));
            return { code: "invalid_value", field, message: `${field} is not a known field` };
        }
        case "enum": {
            const allowed = (params.allowedValues as unknown[]).map(String).join(", ");
            return { code: "invalid_value", field: at, message: `${at || "value"} must be one of: ${allowed}` };
        }
        default:
            return { code: "invalid_value", field: at, message: `${at || "body"} ${err.message ?? "is invalid"}` };
    }
}

function problemsOf(fn: ValidateFunction, value: unknown): ValidationProblem[] {
    if (fn(value)) return [];
    const seen = new Set<string>();
    const problems: ValidationProblem[] = [];
    for (const err of fn.errors ?? []) {
        const problem = toProblem(err);
        const key = `${problem.field}\u0000${problem.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        problems.push(problem);
    }
    return problems;
}

/** Validates a request body against a payload schema; with `rejectUnknownFields`, unknown keys are
 * problems too (the closed set), else they pass as the spec states it. */
export function validatePayload(schemaName: string, body: unknown, opts: { rejectUnknownFields?: boolean } = {}): ValidationProblem[] {
    return problemsOf((opts.rejectUnknownFields ? closed() : open()).validator(schemaName), body);
}

/** Validates a value against a component schema exactly as the spec states it. */
export function validateAgainstSpec(schemaName: string, value: unknown): ValidationProblem[] {
    return problemsOf(open().validator(schemaName), value);
}
