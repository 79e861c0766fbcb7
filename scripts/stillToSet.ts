// The "Still to set" list in the header of Pulumi.<stack>.yaml: the keys the stack still needs
// before `pulumi preview` gets past its config check. Computed by the program's own config check
// (stack/config.ts reads the file's values and names each key "not set"), so the list and the
// preview never disagree; `discover-config --write` rewrites it after setting what it found.
import * as pulumi from "@pulumi/pulumi";
import type * as YAML from "yaml";

import { PROJECT, readStackConfig, StackConfigError } from "../stack/config";
import { routesOwnedBy, type Environment } from "../stack/routes";

/** Where every key is described: the header points there. */
export const CONFIGURATION_DOC = 'docs/configuration.md, "Stack configuration"';
const HEADING = /^\s*(Still to set|Nothing left to set)\b/;

/** A config value as the Pulumi runtime holds it: strings as they are, objects as JSON, a secret (`secure:`) as set. */
function runtimeValue(value: unknown): string {
    if (value && typeof value === "object" && "secure" in value) return "<secret>";
    return typeof value === "string" ? value : JSON.stringify(value);
}

/** The program's config check on exactly these values (no environment: INCIDENT_IO_TOKEN is noted, not assumed). */
function notSet(stack: Environment, config: Record<string, unknown>): Array<{ key: string; fix: string }> {
    const runtime = pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean };
    const saved = pulumi.runtime.allConfig();
    const savedSecrets = Object.keys(saved).filter((key) => runtime.isConfigSecret?.(key));
    pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(config).map(([key, value]) => [key, runtimeValue(value)])), []);
    try {
        readStackConfig(stack, {}, () => {});
        return [];
    } catch (error) {
        if (!(error instanceof StackConfigError)) throw error;
        return error.problems.filter((p) => p.problem.startsWith("not set")).map(({ key, fix }) => ({ key, fix }));
    } finally {
        pulumi.runtime.setAllConfig(saved, savedSecrets);
    }
}

/** Each key still to set, with what an operator needs to know beside it: a secret's command (secrets
 * never live in the file as plain text), and where the AWS account comes from. */
export function stillToSet(stack: Environment, config: Record<string, unknown>): string[] {
    const lines = notSet(stack, config).map(({ key, fix }) => {
        if (fix.includes(" --secret ")) return `${key} (secret: ${fix.replace(/\s+\((.*)\)$/, "; $1").replace(/\s+/g, " ")})`;
        if (key === `${PROJECT}:aws.accountId`) return `${key} (this environment's AWS account; the company's, so not committed here)`;
        const env = /\(or export (\w+)\)/.exec(fix)?.[1];
        return env ? `${key} (or export ${env})` : key;
    });
    const adopt = config[`${PROJECT}:adopt`];
    const adopted = adopt && typeof adopt === "object" ? Object.keys(adopt) : [];
    for (const row of routesOwnedBy(stack)) {
        if (!adopted.includes(row.key)) lines.push(`${PROJECT}:adopt.${row.key} (first adoption only: the live "${row.name}")`);
    }
    return lines;
}

/** The header with its "Still to set" block replaced by `items` (or added at its end); the lines before it are kept. */
export function headerWithStillToSet(header: string | null | undefined, stack: Environment, items: string[]): string {
    const lines = (header ?? "").split("\n");
    let start = lines.findIndex((line) => HEADING.test(line));
    if (start < 0) start = lines.length;
    // The block runs to the header's end: its item lines are indented.
    const before = lines.slice(0, start);
    while (before.length > 0 && before[before.length - 1].trim() === "") before.pop();
    const block =
        items.length === 0
            ? [` Nothing left to set (${CONFIGURATION_DOC}).`]
            : [
                  ` Still to set (${CONFIGURATION_DOC}; \`npm run discover-config -- --stack ${stack} --write\` updates this list):`,
                  ...items.map((item) => `   ${item}`),
              ];
    // " " keeps the separator a comment line ("#"): a blank line would split the header in two.
    return [...before, ...(before.length > 0 ? [" "] : []), ...block].join("\n");
}

type Commented = { commentBefore?: string | null };

/** Where the file's opening comment lives: the document's own comment when a blank line follows it,
 * else the comment before the first node, which the parser gives to the first key (`config:`, the
 * stack files' case). A file without one gets the document's. */
function headerHolder(doc: YAML.Document): Commented {
    const contents = doc.contents as (Commented & { items?: Array<{ key?: unknown }> }) | null;
    const firstKey = contents?.items?.[0]?.key;
    const holders = [doc, contents, firstKey].filter((h): h is Commented => !!h && typeof h === "object");
    return (
        holders.find((h) => (h.commentBefore ?? "").split("\n").some((line) => HEADING.test(line))) ??
        holders.find((h) => !!h.commentBefore) ??
        doc
    );
}

/** Rewrites the document's header list from its config; true when it changed. */
export function updateStillToSet(doc: YAML.Document, stack: Environment): boolean {
    const config = (doc.toJS() as { config?: Record<string, unknown> } | null)?.config ?? {};
    const holder = headerHolder(doc);
    const next = headerWithStillToSet(holder.commentBefore, stack, stillToSet(stack, config));
    if (next === holder.commentBefore) return false;
    holder.commentBefore = next;
    return true;
}
