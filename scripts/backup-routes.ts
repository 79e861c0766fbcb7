// npm run backup-routes -- [--out <dir>] [--base-url <url>]
//
// Backs up every live alert route: all pages of GET /v2/alert_routes, then GET /v2/alert_routes/{id}
// for each, one file per route (<out>/<id>.json) holding the answer, `{"alert_route": ...}`, with
// keys sorted so that a re-run with no change writes the same bytes. Then every alert source and
// attribute: <out>/alert_sources/<id>.json (secret_token removed, the file says so) and
// <out>/alert_attributes/<id>.json. Goes through the provider's client (rate limiter, retries).
// `npm run import-routes -- <out>` and `npm run import-sources -- <out>` read the folder as it is.
import * as fs from "node:fs";
import * as path from "node:path";

import type { AlertRouteResponse } from "../providers/incident-io";
import { ROUTES } from "../stack/routes";
import { parseBackup } from "./backups";
import { clientFor, parseFlags, processIo, runAsScript, stableJson, table, UsageError, type ClientOverrides, type ScriptIo } from "./cli";
import { checkKey } from "./keyCheck";
import { ATTRIBUTES_DIR, backupCatalogue, SOURCES_DIR } from "./sourceBackups";

export const DEFAULT_OUT = path.join("backups", "incident.io");
const USAGE = "usage: npm run backup-routes -- [--out <dir>] [--base-url <url>] [--quiet]   (key from INCIDENT_IO_TOKEN)";

/** incident.io ids are ULIDs; anything else is not used as a file name. */
const SAFE_ID = /^[0-9A-Za-z]{10,40}$/;

export interface RouteOutcome {
    id: string;
    name: string;
    version?: number;
    owner: string;
    status: "saved" | "unchanged" | "failed";
    problem?: string;
}

export function ownerOf(name: string): string {
    return ROUTES.find((r) => r.name === name)?.owner ?? "not managed by any stack";
}

/** Writes via a temporary file and a rename: a crash never leaves half a backup. */
function writeIfChanged(file: string, text: string): "saved" | "unchanged" {
    if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === text) return "unchanged";
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
    return "saved";
}

/** The file's text for one route, once the answer is checked to be the route asked for. */
export function backupText(id: string, route: AlertRouteResponse): string {
    if (route.id !== id) throw new Error(`the API answered with route ${JSON.stringify(route.id)}`);
    const doc = { alert_route: route };
    const parsed = parseBackup(doc, id);
    if (parsed.problems.length > 0) throw new Error(parsed.problems[0].problem);
    return stableJson(doc);
}

export async function main(argv: string[], io: ScriptIo = processIo(), overrides: ClientOverrides = {}): Promise<number> {
    let flags: Record<string, string | true>;
    let client: ReturnType<typeof clientFor>;
    try {
        flags = parseFlags(argv, ["out", "base-url"], ["quiet"]);
        client = clientFor(flags, io, overrides);
    } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        io.error(`${error.message}\n${USAGE}\n`);
        return 2;
    }
    const outArg = typeof flags.out === "string" ? flags.out : DEFAULT_OUT;
    const out = path.resolve(io.cwd, outArg);
    const progress = (text: string) => io.isTTY && io.error(`\r\x1b[2K${text}`);
    const key = await checkKey(client, io, "read", { quiet: flags.quiet === true });
    if (key.problem) {
        io.error(`${key.problem}\nNothing was read or written.\n`);
        return 1;
    }

    let listed: Array<{ id: string; name: string }>;
    try {
        listed = await client.listAlertRoutes((n) => progress(`listing alert routes: ${n}`));
    } catch (error) {
        progress("");
        io.error(
            `could not list the alert routes: ${(error as Error).message}\nNothing was written. Fix the cause, then run again: npm run backup-routes -- --out ${outArg}\n`,
        );
        return 1;
    }
    fs.mkdirSync(out, { recursive: true });

    let done = 0;
    const outcomes: RouteOutcome[] = await Promise.all(
        listed.map(async ({ id, name }): Promise<RouteOutcome> => {
            const outcome: RouteOutcome = { id, name, owner: ownerOf(name), status: "failed" };
            try {
                if (!SAFE_ID.test(id)) throw new Error(`the list gave ${JSON.stringify(id)}, which is not an incident.io id`);
                const route = await client.getAlertRoute(id);
                const text = backupText(id, route);
                Object.assign(outcome, { name: route.name, owner: ownerOf(route.name), version: route.version });
                outcome.status = writeIfChanged(path.join(out, `${id}.json`), text);
            } catch (error) {
                outcome.problem = (error as Error).message;
            }
            progress(`backing up alert routes: ${++done}/${listed.length}`);
            return outcome;
        }),
    );
    progress("");

    const rows = outcomes.map((o) => [o.id, o.version === undefined ? "" : `v${o.version}`, o.owner, o.status, o.name]);
    io.log(`${listed.length} live alert route(s) → ${outArg}\n\n${table(["id", "version", "stack", "file", "name"], rows)}`);

    const names = new Map<string, string[]>();
    for (const o of outcomes) names.set(o.name, [...(names.get(o.name) ?? []), o.id]);
    for (const [name, ids] of names) {
        if (ids.length > 1 && ownerOf(name) !== "not managed by any stack") {
            io.log(
                `\nwarning: ${ids.length} live routes are named "${name}" (${ids.join(", ")}): a stack adopts one; delete or rename the others in incident.io.\n`,
            );
        }
    }
    const live = new Set(listed.map((r) => r.id));
    const stale = fs.readdirSync(out).filter((f) => f.endsWith(".json") && !live.has(f.slice(0, -".json".length)));
    if (stale.length > 0) io.log(`\nkept ${stale.length} file(s) of routes that are no longer live: ${stale.join(", ")}\n`);

    const catalogue = await backupCatalogue(client, out, writeIfChanged);
    io.log(
        `\n${catalogue.sources} alert source(s) → ${outArg}/${SOURCES_DIR} (secret_token removed), ${catalogue.attributes} alert attribute(s) → ${outArg}/${ATTRIBUTES_DIR}\n`,
    );
    if (catalogue.problems.length > 0) {
        io.error(
            `\ncould not back up ${catalogue.problems.join("; ")}. Run again once the cause is fixed: npm run backup-routes -- --out ${outArg}\n`,
        );
    }

    const failed = outcomes.filter((o) => o.status === "failed");
    if (catalogue.problems.length > 0 && failed.length === 0) return 1;
    if (failed.length > 0) {
        io.error(
            `\ncould not save ${failed.length} of ${listed.length} route(s); the other files are complete:\n` +
                failed.map((o) => `  ${o.id} "${o.name}": ${o.problem}\n`).join("") +
                `Run again once the cause is fixed: npm run backup-routes -- --out ${outArg}\n`,
        );
        return 1;
    }
    return 0;
}

if (require.main === module) runAsScript("backup-routes", main);
