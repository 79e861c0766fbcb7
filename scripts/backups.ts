// Reads alert route backups: old backup files (one route per file, as GET /v2/alert_routes/{id}
// answers: `{alert_route: {...}}` or the bare route) and `pulumi stack export` files. Pure apart
// from readBackups(); every route comes out in the payload shape, matched to the route table.
import * as fs from "node:fs";
import * as path from "node:path";

import {
    ALERT_ROUTE_TYPE,
    canonical,
    describeValue,
    fromResponse,
    isSafeId,
    validateRoute,
    type AlertRouteResponse,
    type AlertRouteSpec,
} from "../providers/incident-io";
import { ROUTES, type Environment } from "../stack/routes";

export interface ImportedRoute {
    /** The key in stack/routes.ts; for a route not in the table, one derived from its name. */
    key: string;
    /** The stack that owns it per stack/routes.ts; undefined when the table has no such route. */
    owner?: Environment;
    id: string;
    version?: number;
    /** The route in payload shape, canonical: what a definition or a restore would send. */
    spec: AlertRouteSpec;
    /** Where it came from (file, or file + resource). */
    source: string;
    /** For a route from a stack export: the stack that manages it (its claim's `pulumi/stack`, else the export's). */
    claimedBy?: string;
}

export interface BackupProblem {
    source: string;
    problem: string;
}

export interface Backups {
    routes: ImportedRoute[];
    problems: BackupProblem[];
    /** The stack a stack export belongs to, from its resources' URNs. */
    exportedStack?: string;
}

/** Reads a directory of backup files, or one file (a route backup or a stack export). */
export function readBackups(target: string): Backups {
    const folder = fs.statSync(target).isDirectory();
    const files = folder
        ? fs
              .readdirSync(target)
              .filter((f) => f.endsWith(".json"))
              .sort()
              .map((f) => path.join(target, f))
        : [target];
    const result: Backups = { routes: [], problems: [] };
    for (const file of files) {
        const json = readJsonFile(file, { followLinks: !folder });
        if ("problem" in json) {
            result.problems.push({ source: file, problem: json.problem });
            continue;
        }
        // One bad file (a field of the wrong type, nesting deep enough to overflow the stack) is
        // that file's problem: the other files' routes are still read and reported.
        let parsed: Backups;
        try {
            if (depthOf(json.value) > MAX_DEPTH) throw new RangeError("nested too deeply");
            parsed = parseBackup(json.value, file);
        } catch (error) {
            const why = error instanceof RangeError ? `nested more than ${MAX_DEPTH} levels deep` : (error as Error).message;
            result.problems.push({ source: file, problem: `not a readable alert route (${why}): skipped` });
            continue;
        }
        for (const route of parsed.routes) {
            // The id goes into printed commands and file names: refused unless it is a plain id.
            if (!isSafeId(route.id)) {
                result.problems.push({
                    source: route.source,
                    problem: `the route id ${describeValue(route.id)} is not an id of letters, digits, _ and -: skipped (no command is printed for it)`,
                });
                continue;
            }
            // A field of the wrong type is not read around (the model drops what it cannot use, which
            // would make a definition that is not the route): the file is named with the field.
            const failures = validateRoute(route.spec as unknown as Record<string, unknown>);
            if (failures.length > 0)
                result.problems.push({
                    source: route.source,
                    problem: `not a readable alert route (${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}): skipped`,
                });
            else result.routes.push(route);
        }
        result.problems.push(...parsed.problems);
        result.exportedStack ??= parsed.exportedStack;
    }
    return checkDuplicates(result);
}

/**
 * A backup file's JSON, or why not. In a folder only regular files (backup-routes writes nothing else, and a symlink
 * there could lead to any file on the machine); a file named on the command line is read as given. The parser's
 * message is not repeated, since it quotes the file's first characters.
 */
export function readJsonFile(file: string, opts: { followLinks: boolean }): { value: unknown } | { problem: string } {
    if (!(opts.followLinks ? fs.statSync(file) : fs.lstatSync(file)).isFile())
        return { problem: "not a regular file (a symlink is not followed): skipped; copy the backup itself here" };
    try {
        return { value: JSON.parse(fs.readFileSync(file, "utf8")) };
    } catch (error) {
        const at = /at position (\d+)/.exec((error as Error).message)?.[1];
        return { problem: `not JSON${at ? ` (at character ${at})` : ""}: skipped` };
    }
}

/** Deeper than any route (condition → param_bindings → array_value → literal is about 10 levels, a
 * stack export adds 4): such a file is refused before any recursive reader can overflow on it. */
const MAX_DEPTH = 64;

/** How deeply a JSON value nests, counted without recursion. */
function depthOf(value: unknown): number {
    let deepest = 0;
    const todo: Array<[unknown, number]> = [[value, 1]];
    while (todo.length > 0) {
        const [v, depth] = todo.pop()!;
        if (!v || typeof v !== "object") continue;
        deepest = Math.max(deepest, depth);
        if (deepest > MAX_DEPTH) return deepest;
        for (const child of Object.values(v)) todo.push([child, depth + 1]);
    }
    return deepest;
}

/** Fields AlertRouteV2 types as lists: an object, string or number there is not a route. */
export const ROUTE_LIST_FIELDS = ["alert_sources", "channel_config", "condition_groups", "expressions", "owning_team_ids"];

/** A resource of `pulumi stack export` as far as this reads it; any field may be missing. */
interface ExportedResource {
    urn?: string;
    type?: string;
    id?: string;
    outputs?: { route?: unknown; version?: number; claimed?: Record<string, unknown> };
}

/** What a backup file may hold: a stack export, a route list, `{alert_route}`, or a bare route. */
interface BackupDocument {
    deployment?: { resources?: ExportedResource[] };
    alert_routes?: unknown;
    alert_route?: unknown;
}

/** One parsed JSON document: a stack export, `{alert_route}`, or a bare route. */
export function parseBackup(json: unknown, source: string): Backups {
    const doc = json as BackupDocument | null | undefined;
    if (doc && typeof doc === "object" && doc.deployment) return fromStackExport(doc.deployment, source);
    if (doc && typeof doc === "object" && Array.isArray(doc.alert_routes)) {
        return {
            routes: [],
            problems: [{ source, problem: "a route list holds no route configuration; back up each route with GET /v2/alert_routes/{id}" }],
        };
    }
    const route = (doc?.alert_route ?? doc) as AlertRouteResponse | undefined;
    if (
        !route ||
        typeof route !== "object" ||
        typeof route.id !== "string" ||
        typeof route.name !== "string" ||
        !Array.isArray(route.alert_sources)
    ) {
        return {
            routes: [],
            problems: [
                {
                    source,
                    problem:
                        "not an alert route: expected {alert_route: {...}}, a route with id, name and alert_sources, or a stack export",
                },
            ],
        };
    }
    const notAList = ROUTE_LIST_FIELDS.find((f) => {
        const v = (route as unknown as Record<string, unknown>)[f];
        return v !== undefined && v !== null && !Array.isArray(v);
    });
    if (notAList)
        return {
            routes: [],
            problems: [
                {
                    source,
                    problem: `not a readable alert route (${notAList} is ${describeValue((route as unknown as Record<string, unknown>)[notAList]).slice(0, 60)}, where a list belongs): skipped`,
                },
            ],
        };
    return { routes: [imported(route.id, canonical(fromResponse(route)), source, route.version)], problems: [] };
}

function fromStackExport(deployment: NonNullable<BackupDocument["deployment"]>, source: string): Backups {
    const resources: ExportedResource[] = deployment.resources ?? [];
    const result: Backups = { routes: [], problems: [] };
    for (const resource of resources) {
        const stack = /^urn:pulumi:([^:]+)::/.exec(resource.urn ?? "")?.[1];
        if (stack && resource.type === "pulumi:pulumi:Stack") result.exportedStack = stack;
        if (resource.type !== ALERT_ROUTE_TYPE) continue;
        result.exportedStack ??= stack;
        const at = `${source} ${resource.urn}`;
        const route = resource.outputs?.route;
        if (!resource.id || !route || typeof route !== "object") {
            result.problems.push({ source: at, problem: "no id or route in its outputs (never created, or pending): skipped" });
            continue;
        }
        const claimedBy = resource.outputs?.claimed?.["pulumi/stack"];
        result.routes.push({
            ...imported(resource.id, canonical(route as AlertRouteSpec), at, resource.outputs?.version),
            claimedBy: typeof claimedBy === "string" ? claimedBy : stack,
        });
    }
    if (result.routes.length === 0 && result.problems.length === 0) {
        result.problems.push({
            source,
            problem:
                resources.length === 0
                    ? `a stack export${result.exportedStack ? ` of "${result.exportedStack}"` : ""} with no resources at all (a stack never deployed, or destroyed): no route to import`
                    : `a stack export of ${resources.length} resource(s), none of them an alert route`,
        });
    }
    return result;
}

function imported(id: string, spec: AlertRouteSpec, source: string, version?: number): ImportedRoute {
    const row = ROUTES.find((r) => r.name === spec.name);
    return { key: row?.key ?? keyFromName(spec.name), owner: row?.owner, id, version, spec, source };
}

/** "Production Alerts" → "productionAlerts", the style of stack/routes.ts keys. */
export function keyFromName(name: string): string {
    const words = name
        .normalize("NFKD")
        .replace(/[^A-Za-z0-9]+/g, " ")
        .trim()
        .split(" ")
        .filter(Boolean);
    const key = words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1).toLowerCase())).join("");
    return /^[a-z]/.test(key) ? key : `route${key[0]?.toUpperCase() ?? ""}${key.slice(1)}`;
}

/** The same route twice keeps the newest version; two routes under one key are a problem to resolve. */
function checkDuplicates(backups: Backups): Backups {
    // Two copies of one route under different names (a renamed copy beside the current backup): both would be written
    // to that one route, the older one over the live route first. Refused by name, never resolved by guessing.
    const byId = new Map<string, ImportedRoute>();
    const copies = new Set<ImportedRoute>();
    for (const route of backups.routes) {
        const seen = byId.get(route.id);
        if (!seen) byId.set(route.id, route);
        else if (seen.key !== route.key) {
            copies.add(route);
            const version = (r: ImportedRoute) => (r.version !== undefined ? ` v${r.version}` : "");
            backups.problems.push({
                source: route.source,
                problem:
                    `holds route ${route.id} as ${describeValue(route.spec.name)}${version(route)}, and ${seen.source} holds it as ` +
                    `${describeValue(seen.spec.name)}${version(seen)}: two copies of one route. Keep the one to use and move the other out, then run again`,
            });
        }
    }
    const byKey = new Map<string, ImportedRoute>();
    for (const route of backups.routes.filter((r) => !copies.has(r))) {
        const seen = byKey.get(route.key);
        if (!seen) byKey.set(route.key, route);
        else if (seen.id === route.id) {
            if ((route.version ?? 0) > (seen.version ?? 0)) byKey.set(route.key, route);
        } else {
            backups.problems.push({
                source: route.source,
                problem: `${describeValue(route.spec.name)} (${route.id}) has the same key as ${seen.id} from ${seen.source}: keeping the first`,
            });
        }
    }
    return { ...backups, routes: [...byKey.values()] };
}

/** Removes every `secret_token` at any depth (a source's token has no place in a route). */
export function dropSecrets(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(dropSecrets);
    if (value && typeof value === "object")
        return Object.fromEntries(
            Object.entries(value)
                .filter(([k]) => k !== "secret_token")
                .map(([k, v]) => [k, dropSecrets(v)]),
        );
    return value;
}
