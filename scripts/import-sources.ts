// npm run import-sources -- <backup dir>
//
// Reads what `npm run backup-routes` wrote under <dir>/alert_sources and <dir>/alert_attributes and
// says, for every source and attribute a stack manages (stack/sources.ts), which live one it is, the
// `pulumi config set` command that makes it the adoption id, and whether the table's definition is
// the same as the live one ("same": adoption writes nothing). A live source that differs is printed
// as its row of the table (scripts/sourceRow.ts, no token): pasted, the first adoption writes nothing.
import * as fs from "node:fs";
import * as path from "node:path";

import {
    configSetCommand,
    describeValue,
    escapeControl,
    fromSourceResponse,
    isSafeId,
    shellQuote,
    sourceChangedFields,
    type AlertSourceResponse,
    type AlertSourceSpec,
} from "../providers/incident-io";
import { ENVIRONMENTS, type Environment } from "../stack/routes";
import { ATTRIBUTES, sourcesOwnedBy, type AttributeIds } from "../stack/sources";
import { dropSecrets, readJsonFile } from "./backups";
import { processIo, runAsScript, type ScriptIo } from "./cli";
import { ATTRIBUTES_DIR, SOURCES_DIR } from "./sourceBackups";
import { sourceRowText } from "./sourceRow";

const USAGE = "usage: npm run import-sources -- <backup dir written by npm run backup-routes> [--stack <production|staging>]";

export interface SourceFinding {
    stack: Environment;
    kind: "source" | "attribute";
    key: string;
    name: string;
    /** The live id, when exactly one live source or attribute has the name. */
    id?: string;
    /** "same", the fields that differ, or why no id was found. */
    status: string;
    /** The live definition as its row of SOURCES in stack/sources.ts, when it differs from the table. */
    row?: string;
}

/** A file that could not be read as what its folder holds, and why. */
export interface FileProblem {
    file: string;
    problem: string;
}

/** Each `{"<field>": {...}}` file of a folder; a file that is not one is a problem, named (none is skipped in silence). */
function readDir<T>(dir: string, field: string, problems: FileProblem[]): T[] {
    if (!fs.existsSync(dir)) return [];
    const items: T[] = [];
    for (const name of fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".json"))
        .sort()) {
        const file = path.join(dir, name);
        const json = readJsonFile(file, { followLinks: false });
        if ("problem" in json) {
            problems.push({ file, problem: json.problem });
            continue;
        }
        const item = json.value && typeof json.value === "object" ? (json.value as Record<string, unknown>)[field] : undefined;
        if (item && typeof item === "object") items.push(item as T);
        else problems.push({ file, problem: `not {"${field}": {...}} as backup-routes writes it: skipped` });
    }
    return items;
}

/** Pure apart from reading the files: every table row matched to its live source or attribute by name. */
export function importSources(backupDir: string): { findings: SourceFinding[]; unmanaged: AlertSourceSpec[]; problems: FileProblem[] } {
    const problems: FileProblem[] = [];
    // An old backup may still hold a token: it is dropped here (at any depth) and never printed.
    const sources = readDir<AlertSourceResponse>(path.join(backupDir, SOURCES_DIR), "alert_source", problems).map(
        (s) => dropSecrets(s) as AlertSourceResponse,
    );
    const attributes = readDir<{ id: string; name: string }>(path.join(backupDir, ATTRIBUTES_DIR), "alert_attribute", problems);
    // A file left out would make its source or attribute look missing from the organisation: nothing is compared.
    if (problems.length > 0) return { findings: [], unmanaged: [], problems };
    const findings: SourceFinding[] = [];
    const idOf = (items: Array<{ id: string; name: string }>, name: string): { id?: string; status?: string } => {
        const named = items.filter((i) => i.name === name);
        if (named.length === 1) return { id: named[0].id };
        return {
            status:
                named.length === 0
                    ? "no live one of that name"
                    : `${named.length} live ones of that name: ${named.map((i) => i.id).join(", ")}; set the id by hand`,
        };
    };
    const attributeIds: AttributeIds = {};
    for (const row of ATTRIBUTES) {
        const { id, status } = idOf(attributes, row.spec.name);
        if (id) attributeIds[row.key] = id;
        const live = attributes.find((a) => a.id === id) as (typeof row.spec & { id: string }) | undefined;
        const differs = live ? (["type", "array"] as const).filter((f) => live[f] !== row.spec[f]) : [];
        findings.push({
            stack: row.owner,
            kind: "attribute",
            key: row.key,
            name: row.spec.name,
            id,
            status: status ?? (differs.length ? `differs: ${differs.join(", ")}` : "same"),
        });
    }
    const used = new Set<string>();
    for (const stack of ENVIRONMENTS) {
        for (const row of sourcesOwnedBy(stack)) {
            const definition = row.spec(attributeIds);
            const { id, status } = idOf(sources, definition.name);
            const finding: SourceFinding = { stack, kind: "source", key: row.key, name: definition.name, id, status: status ?? "same" };
            if (id) {
                used.add(id);
                const live = fromSourceResponse(
                    sources.find((s) => s.id === id)!,
                    definition,
                );
                const changed = sourceChangedFields(definition, live);
                if (changed.length > 0)
                    Object.assign(finding, {
                        status: `differs: ${changed.join(", ")}`,
                        row: sourceRowText({ key: row.key, owner: stack }, live, attributeIds),
                    });
            }
            findings.push(finding);
        }
    }
    const unmanaged = sources.filter((s) => !used.has(s.id)).map((s) => fromSourceResponse(s));
    return { findings, unmanaged, problems };
}

export async function main(argv: string[], io: ScriptIo = processIo()): Promise<number> {
    const args = [...argv];
    // --stack: that stack's sources and attributes only (the runbooks run every command with it).
    const stackAt = args.indexOf("--stack");
    const onlyStack = stackAt >= 0 ? args.splice(stackAt, 2)[1] : undefined;
    if (stackAt >= 0 && !(ENVIRONMENTS as readonly string[]).includes(onlyStack ?? "")) {
        io.error(`--stack must be one of ${ENVIRONMENTS.join(", ")}, got ${describeValue(onlyStack)}\n${USAGE}\n`);
        return 2;
    }
    const [dir, ...rest] = args;
    if (!dir || rest.length > 0 || dir.startsWith("-")) {
        io.error(`${USAGE}\n`);
        return 2;
    }
    const target = path.resolve(io.cwd, dir);
    if (!fs.existsSync(path.join(target, SOURCES_DIR))) {
        io.error(`${dir} holds no ${SOURCES_DIR}/ folder: run npm run backup-routes -- --out ${shellQuote(dir)} first.\n`);
        return 1;
    }
    const all = importSources(target);
    if (all.problems.length > 0) {
        io.error(
            `${all.problems.length} file(s) in ${escapeControl(dir)} cannot be read; nothing was compared. Fix or move each, then run again:\n` +
                all.problems.map((p) => `  ${escapeControl(path.relative(io.cwd, p.file))}: ${escapeControl(p.problem)}\n`).join(""),
        );
        return 1;
    }
    const findings = all.findings.filter((f) => onlyStack === undefined || f.stack === onlyStack);
    const unmanaged = all.unmanaged;
    for (const f of findings) {
        io.log(
            `${f.stack}  ${f.kind} ${f.key} "${escapeControl(f.name)}": ${escapeControl(f.id ?? "(no id)")}  ${escapeControl(f.status)}\n`,
        );
    }
    // An id from a backup file goes into a pasted command: refused unless it is a plain id.
    const unsafe = findings.filter((f) => f.id !== undefined && !isSafeId(f.id));
    io.log("\nAdoption ids (the config keys the stacks read):\n");
    for (const f of findings.filter((f) => isSafeId(f.id))) {
        const group = f.kind === "source" ? "alertSources" : "alertAttributes";
        io.log(`${configSetCommand({ stack: f.stack, key: `alert-routing:${group}.${f.key}`, value: f.id!, path: true })}\n`);
    }
    for (const f of unsafe)
        io.error(
            `${f.kind} ${f.key}: the backup gives the id ${describeValue(f.id)}, which is not an id of letters, digits, _ and -: no command printed for it. Check it in incident.io\n`,
        );
    for (const f of findings.filter((f) => f.row)) {
        io.log(
            `\nThe live "${escapeControl(f.name)}" differs from stack/sources.ts (${escapeControl(f.status)}). To keep the live one, ` +
                `replace the ${f.stack} ${f.key} row of SOURCES with this (then npm run format); the first adoption then writes nothing:\n${f.row}\n`,
        );
    }
    if (unmanaged.length > 0)
        io.log(
            `\n${unmanaged.length} live source(s) no stack manages: ${unmanaged.map((s) => escapeControl(JSON.stringify(s.name))).join(", ")}\n`,
        );
    return findings.some((f) => !f.id) || unsafe.length > 0 ? 1 : 0;
}

if (require.main === module) runAsScript("import-sources", main);
