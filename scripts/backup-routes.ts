// npm run backup-routes -- [--out <dir>] [--base-url <url>]
//
// Backs up every live alert route: all pages of GET /v2/alert_routes, then GET /v2/alert_routes/{id}
// for each, one file per route (<out>/<id>.json) holding the answer, `{"alert_route": ...}`, with
// keys sorted so that a re-run with no change writes the same bytes; beside it the route's v3 view,
// <out>/alert_routes_v3/<id>.json (v3Backups.ts). Then every alert source and attribute:
// <out>/alert_sources/<id>.json (secret_token removed, the file says so) and
// <out>/alert_attributes/<id>.json. With CHECKLY_API_KEY and CHECKLY_ACCOUNT_ID, every Checkly alert
// channel posting to incident.io: <out>/checkly_alert_channels/<id>.json (header values removed, the
// file says so; scripts/checklyChannel.ts). Goes through the provider's client (rate limiter, retries).
// `npm run import-routes -- <out>` and `npm run import-sources -- <out>` read the folder as it is.
import * as fs from "node:fs";
import * as path from "node:path";

import {
    API_KEY_ENV,
    describeValue,
    escapeControl,
    exportSecretCommand,
    isSafeId,
    type AlertRouteResponse,
} from "../providers/incident-io";
import { ENVIRONMENTS, ROUTES } from "../stack/routes";
import { dropSecrets, parseBackup, ROUTE_LIST_FIELDS } from "./backups";
import {
    clientFor,
    parseFlags,
    processIo,
    projectRoot,
    rerunCommand,
    runAsScript,
    stableJson,
    table,
    UsageError,
    type ClientOverrides,
    type ScriptIo,
} from "./cli";
import { checkKey } from "./keyCheck";
import { backupChecklyChannels, checklyBaseUrlFlag } from "./checklyChannel";
import { ATTRIBUTES_DIR, backupCatalogue, SOURCES_DIR } from "./sourceBackups";
import { V3_DIR, V3Backups, type V3Outcome } from "./v3Backups";

export const DEFAULT_OUT = path.join("backups", "incident.io");
/** Route GETs in flight at once: the client's own limit (DEFAULT_LIMITS.maxConcurrency in its client.ts), no more. */
const ROUTE_WORKERS = 8;
const USAGE =
    "usage: npm run backup-routes -- [--out <dir>] [--stack <production|staging>] [--base-url <url>] [--checkly-base-url <url>] [--quiet]   (key from INCIDENT_IO_TOKEN; Checkly's from CHECKLY_API_KEY and CHECKLY_ACCOUNT_ID)";

/** The fields of AlertRouteV2 (incident.io's OpenAPI document): a backup holds these and no other,
 * so a secret_token or a key smuggled into an answer never reaches a file. */
export const ROUTE_FIELDS = [
    "alert_sources",
    "channel_config",
    "condition_groups",
    "created_at",
    "enabled",
    "escalation_config",
    "expressions",
    "id",
    "incident_config",
    "incident_template",
    "is_private",
    "message_template",
    "name",
    "owning_team_ids",
    "updated_at",
    "version",
] as const;

export interface RouteOutcome {
    id: string;
    name: string;
    version?: number;
    owner: string;
    status: "saved" | "unchanged" | "failed";
    problem?: string;
    /** Its v3 view beside it (v3Backups.ts); v3Problem: the v2 file was saved, the v3 view was not. */
    v3?: V3Outcome;
    v3Problem?: string;
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
    if (route.id !== id) throw new Error(`the API answered with route ${describeValue(route.id)}`);
    const raw = route as unknown as Record<string, unknown>;
    for (const field of ROUTE_LIST_FIELDS) {
        if (raw[field] !== undefined && raw[field] !== null && !Array.isArray(raw[field]))
            throw new Error(
                `the answer is not a route: ${field} is ${describeValue(raw[field]).slice(0, 60)}, where a list belongs; not saved`,
            );
    }
    const known = Object.fromEntries(ROUTE_FIELDS.filter((f) => raw[f] !== undefined).map((f) => [f, raw[f]]));
    const doc = { alert_route: dropSecrets(known) };
    const parsed = parseBackup(doc, id);
    if (parsed.problems.length > 0) throw new Error(parsed.problems[0].problem);
    return stableJson(doc);
}

export async function main(argv: string[], io: ScriptIo = processIo(), overrides: ClientOverrides = {}): Promise<number> {
    let flags: Record<string, string | true>;
    let client: ReturnType<typeof clientFor>;
    let checklyBaseUrl: string | undefined;
    try {
        flags = parseFlags(argv, ["out", "base-url", "checkly-base-url", "stack"], ["quiet"]);
        checklyBaseUrl = checklyBaseUrlFlag(flags);
        if (flags.stack !== undefined && !(ENVIRONMENTS as readonly string[]).includes(flags.stack as string))
            throw new UsageError(`--stack must be one of ${ENVIRONMENTS.join(", ")}, got ${describeValue(flags.stack)}`);
        client = clientFor(flags, io, overrides, rerunCommand("backup-routes", flags));
    } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        io.error(`${error.message}\n${USAGE}\n`);
        return 2;
    }
    // Default: backups/ at the project root (the folder of Pulumi.yaml), wherever the script is run from.
    const outArg = typeof flags.out === "string" ? flags.out : DEFAULT_OUT;
    const out = typeof flags.out === "string" ? path.resolve(io.cwd, outArg) : path.join(projectRoot(io.cwd), DEFAULT_OUT);
    if (fs.existsSync(out) && !fs.statSync(out).isDirectory()) {
        io.error(
            `--out ${escapeControl(outArg)} is a file, not a folder: name a folder (it is created if missing). Nothing was read or written.\n`,
        );
        return 2;
    }
    const rerun = rerunCommand("backup-routes", flags);
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
            `could not list the alert routes: ${(error as Error).message}\nNothing was written. Fix the cause, then run again: ${rerun}\n`,
        );
        return 1;
    }
    // One route per id, however often the pages repeat it; with --stack, that stack's routes only.
    const byId = new Map<string, { id: string; name: string }>();
    for (const r of listed) if (!byId.has(r.id)) byId.set(r.id, r);
    listed = [...byId.values()].filter((r) => flags.stack === undefined || ownerOf(r.name) === flags.stack);

    let done = 0;
    const v3 = new V3Backups(client, out, writeIfChanged);
    // The first 401/403 stops the run: the key is refused, and every further GET would be too.
    let refused: string | undefined;
    const backupOne = async ({ id, name }: { id: string; name: string }): Promise<RouteOutcome> => {
        const outcome: RouteOutcome = { id, name, owner: ownerOf(name), status: "failed" };
        try {
            if (!isSafeId(id)) throw new Error(`the list gave ${describeValue(id)}, which is not an id of letters, digits, _ and -`);
            if (refused) throw new Error("not asked: the API refused the key");
            let route: AlertRouteResponse;
            try {
                route = await client.getAlertRoute(id);
            } catch (error) {
                const status = (error as { status?: number }).status;
                if (status === 401 || status === 403) refused ??= (error as Error).message;
                throw error;
            }
            const text = backupText(id, route);
            Object.assign(outcome, { name: route.name, owner: ownerOf(route.name), version: route.version });
            fs.mkdirSync(out, { recursive: true });
            outcome.status = writeIfChanged(path.join(out, `${id}.json`), text);
            try {
                outcome.v3 = await v3.save(id);
            } catch (error) {
                outcome.v3Problem = (error as Error).message;
            }
        } catch (error) {
            outcome.problem = (error as Error).message;
        }
        progress(`backing up alert routes: ${++done}/${listed.length}`);
        return outcome;
    };
    // A few workers take the routes one by one, each looking at `refused` before it asks: after a
    // refusal only the GETs already in flight are answered, none is sent (with all of them queued
    // at once, the limiter would send every one of them after the first 403).
    const outcomes: RouteOutcome[] = new Array<RouteOutcome>(listed.length);
    let next = 0;
    const worker = async () => {
        while (next < listed.length) {
            const at = next++;
            outcomes[at] = await backupOne(listed[at]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(ROUTE_WORKERS, listed.length) }, worker));
    progress("");

    if (refused) {
        const saved = outcomes.filter((o) => o.status !== "failed").length;
        io.error(
            `the API refused the key: ${escapeControl(refused)}\nStopped at the first refusal: ${saved} of ${listed.length} route(s) saved, ` +
                `the rest not asked. Give a key with "View data" (\`${exportSecretCommand(API_KEY_ENV)}\`, then paste it and press Enter), then run again: ${rerun}\n`,
        );
        return 1;
    }
    const rows = outcomes.map((o) => [
        escapeControl(o.id),
        o.version === undefined ? "" : `v${o.version}`,
        o.owner,
        o.status,
        escapeControl(o.name),
    ]);
    io.log(`${listed.length} live alert route(s) → ${outArg}\n\n${table(["id", "version", "stack", "file", "name"], rows)}`);

    const v3Saved = outcomes.filter((o) => o.v3 === "saved" || o.v3 === "unchanged");
    if (v3.notOnV3)
        io.log(`\nno v3 views: incident.io answered that this organisation is not on its v3 API yet (403 api_not_yet_available)\n`);
    else if (v3Saved.length > 0)
        io.log(
            `\n${v3Saved.length} v3 view(s) → ${outArg}/${V3_DIR} (${v3Saved.filter((o) => o.v3 === "saved").length} saved, ${v3Saved.filter((o) => o.v3 === "unchanged").length} unchanged): the settings v2 cannot express\n`,
        );
    const names = new Map<string, string[]>();
    for (const o of outcomes) names.set(o.name, [...(names.get(o.name) ?? []), o.id]);
    for (const [name, ids] of names) {
        if (ids.length > 1 && ownerOf(name) !== "not managed by any stack") {
            io.log(
                `\nwarning: ${ids.length} live routes are named "${escapeControl(name)}" (${ids.map(escapeControl).join(", ")}): a stack adopts one; delete or rename the others in incident.io.\n`,
            );
        }
    }
    const live = new Set(listed.map((r) => r.id));
    const stale = (fs.existsSync(out) ? fs.readdirSync(out) : []).filter(
        (f) => f.endsWith(".json") && !live.has(f.slice(0, -".json".length)),
    );
    if (stale.length > 0)
        io.log(`\nkept ${stale.length} file(s) of routes that are no longer live: ${stale.map(escapeControl).join(", ")}\n`);

    const catalogue = await backupCatalogue(client, out, writeIfChanged);
    io.log(
        `\n${catalogue.sources} alert source(s) → ${outArg}/${SOURCES_DIR} (secret_token removed), ${catalogue.attributes} alert attribute(s) → ${outArg}/${ATTRIBUTES_DIR}\n`,
    );
    const channels = await backupChecklyChannels(io, { baseUrl: checklyBaseUrl, out, outArg, rerun, write: writeIfChanged }, overrides);
    for (const line of channels.lines) io.log(`${line}\n`);
    catalogue.problems.push(...channels.problems);
    if (catalogue.problems.length > 0) {
        io.error(`\ncould not back up ${catalogue.problems.join("; ")}. Run again once the cause is fixed: ${rerun}\n`);
    }

    const failed = outcomes.filter((o) => o.status === "failed" || o.v3Problem !== undefined);
    if (catalogue.problems.length > 0 && failed.length === 0) return 1;
    if (failed.length > 0) {
        io.error(
            `\ncould not save ${failed.length} of ${listed.length} route(s); the other files are complete:\n` +
                failed
                    .map((o) => `  ${escapeControl(o.id)} "${escapeControl(o.name)}": ${escapeControl(o.problem ?? o.v3Problem ?? "")}\n`)
                    .join("") +
                `Run again once the cause is fixed: ${rerun}\n`,
        );
        return 1;
    }
    return 0;
}

if (require.main === module) runAsScript("backup-routes", main);
