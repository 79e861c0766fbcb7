// A live alert source written as its row of the SOURCES table in stack/sources.ts, ready to paste:
// the same fields as the live one (so the first adoption writes nothing), with the ids of the
// attributes the stacks manage written as `need(ids, "<attribute>", "<source>")`, as the table's
// own rows bind them (an id literal would break when an attribute is adopted under another id).
import { escapeControl, type AlertSourceSpec } from "../providers/incident-io";
import type { Environment } from "../stack/routes";

/** Where a value sits in the row: the text the row prints for it, or undefined to print it as data. */
type Hook = (value: unknown, key: string | undefined) => string | undefined;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A TypeScript literal of JSON data: keys unquoted where they are identifiers, strings as JSON
 * strings (valid TypeScript), control characters escaped so none reaches the terminal. */
export function typeScriptLiteral(value: unknown, indent = "", hook: Hook = () => undefined, key?: string): string {
    const hooked = hook(value, key);
    if (hooked !== undefined) return hooked;
    const inner = `${indent}    `;
    if (Array.isArray(value)) {
        if (value.length === 0) return "[]";
        return `[\n${value.map((v) => `${inner}${typeScriptLiteral(v, inner, hook)},\n`).join("")}${indent}]`;
    }
    if (value !== null && typeof value === "object") {
        const entries = Object.entries(value).filter(([, v]) => v !== undefined);
        if (entries.length === 0) return "{}";
        const field = (k: string) => (IDENTIFIER.test(k) ? k : typeScriptLiteral(k));
        return `{\n${entries.map(([k, v]) => `${inner}${field(k)}: ${typeScriptLiteral(v, inner, hook, k)},\n`).join("")}${indent}}`;
    }
    return escapeControl(JSON.stringify(value) ?? "undefined");
}

/**
 * The row for SOURCES. `attributeIds` maps each managed attribute's key to its live id: a binding
 * to one of those ids becomes `need(ids, ...)`; any other id stays as it is, with a comment.
 */
export function sourceRowText(
    row: { key: string; owner: Environment },
    live: AlertSourceSpec,
    attributeIds: Record<string, string | undefined>,
): string {
    const keyOf = new Map(Object.entries(attributeIds).flatMap(([k, id]) => (id ? [[id, k] as const] : [])));
    let needsIds = false;
    const hook: Hook = (value, key) => {
        if (key !== "alert_attribute_id" || typeof value !== "string") return undefined;
        const attribute = keyOf.get(value);
        if (attribute === undefined) return `${typeScriptLiteral(value)} /* an attribute no stack manages */`;
        needsIds = true;
        return `need(ids, ${JSON.stringify(attribute)}, ${JSON.stringify(row.key)})`;
    };
    const body = typeScriptLiteral(live, "        ", hook);
    return [
        "    {",
        `        key: ${JSON.stringify(row.key)},`,
        `        owner: ${JSON.stringify(row.owner)},`,
        `        spec: (${needsIds ? "ids" : ""}) => (${body}),`,
        "    },",
    ].join("\n");
}
