// npm run restore-routes -- [<dir>] [--only <id|name>]... [--yes] [--dry-run] [--include-managed] [--base-url <url>] [--quiet]
//
// Puts backed-up alert routes back: a `backup-routes` folder (default backups/incident.io), or
// anything `import-routes` reads (old backups, a `pulumi stack export`). For each route it reads the
// live one, compares them as the provider does, shows what would change field by field, asks once,
// and only then writes: PUT at the version it read + 1 (a route changed since is not overwritten),
// or POST for a deleted route (never retried blindly: an answer lost after sending may mean it was
// created). Routes a stack manages are left to `pulumi up` unless --include-managed.
import * as fs from "node:fs";
import * as path from "node:path";

import {
    describeValue,
    escapeControl,
    fromResponse,
    IncidentIoApiError,
    isSafeId,
    sameRoute,
    v3ResetsOf,
    type AlertRouteResponse,
    type AlertRouteV3View,
    type KeyNeed,
} from "../providers/incident-io";
import { DEFAULT_OUT } from "./backup-routes";
import { readBackups, type ImportedRoute } from "./backups";
import {
    clientFor,
    parseFlags,
    processIo,
    projectRoot,
    rerunCommand,
    runAsScript,
    UsageError,
    type ClientOverrides,
    type ScriptIo,
} from "./cli";
import { emptyReason } from "./import-routes";
import { checkKey } from "./keyCheck";
import { V3Reader } from "./v3Backups";
import {
    adoptionLines,
    badId,
    couldNotRestore,
    describePlan,
    planRoute,
    selectRoutes,
    stacksToRefresh,
    summaryLine,
    summaryTable,
    type PlannedRoute,
    type RestoreOutcome,
} from "./restore";
import { shellWord } from "./shellWord";

const USAGE =
    "usage: npm run restore-routes -- [<backup dir | file>] [--only <id|name>]... [--yes] [--dry-run] [--include-managed] [--base-url <url>] [--quiet]   (key from INCIDENT_IO_TOKEN)";

type Client = ReturnType<typeof clientFor>;

/** A 401 or 403: the key is refused, and every other request would be too. */
const refused = (error: unknown) => error instanceof IncidentIoApiError && (error.status === 401 || error.status === 403);

/** `--only` may be given more than once and the folder is positional; the rest goes through parseFlags. */
function parseArgs(argv: string[]): { only: string[]; positional: string[]; flags: Record<string, string | true> } {
    const only: string[] = [];
    const positional: string[] = [];
    const named: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--only" || arg.startsWith("--only=")) {
            const value = arg === "--only" ? argv[++i] : arg.slice("--only=".length);
            if (value === undefined || value === "" || value.startsWith("--")) throw new UsageError("--only needs a route id or name");
            only.push(value);
        } else if (arg === "--base-url") {
            named.push(arg, ...(i + 1 < argv.length ? [argv[++i]] : []));
        } else if (arg.startsWith("--")) named.push(arg);
        else positional.push(arg);
    }
    const flags = parseFlags(named, ["base-url"], ["yes", "dry-run", "include-managed", "quiet"]);
    if (positional.length > 1) throw new UsageError(`one backup folder or file, got ${positional.map((p) => describeValue(p)).join(", ")}`);
    return { only, positional, flags };
}

/** Reads every selected route's live version (in parallel, through the client's limiter). */
async function plan(
    client: Client,
    routes: ImportedRoute[],
    includeManaged: boolean,
    progress: (t: string) => void,
): Promise<PlannedRoute[]> {
    let read = 0;
    const lives = await Promise.all(
        routes.map(async (route): Promise<AlertRouteResponse | undefined | Error> => {
            try {
                return await client.getAlertRoute(route.id);
            } catch (error) {
                if (error instanceof IncidentIoApiError && error.isNotFound) return undefined;
                if (refused(error)) throw error;
                return error as Error;
            } finally {
                progress(`reading route ${++read} of ${routes.length}`);
            }
        }),
    );
    // Only when a route is gone: the live routes' names, so a route re-created already is not made twice.
    const namesakes = lives.some((l) => l === undefined) ? await client.listAlertRoutes() : [];
    const plans = routes.map((route, i): PlannedRoute => {
        const live = lives[i];
        if (live instanceof Error)
            return { route, action: "blocked", changed: [], problem: `could not read the live route: ${live.message}` };
        return planRoute(route, live, { includeManaged, namesakes });
    });
    // A v2 PUT could reset the settings only v3 can express (providers/incident-io/v3.ts): a route
    // that holds any is not overwritten, as the provider does not write it. One probe per run.
    const v3 = new V3Reader(client);
    await Promise.all(
        plans.map(async (p, i) => {
            if (p.action !== "overwrite") return;
            let view: AlertRouteV3View | "not on v3";
            try {
                view = await v3.read(p.route.id);
            } catch (error) {
                if (refused(error)) throw error;
                plans[i] = {
                    ...p,
                    action: "blocked",
                    problem: `could not read its v3 settings (${(error as Error).message}), so it is not overwritten: run again`,
                };
                return;
            }
            const resets = view === "not on v3" ? [] : v3ResetsOf(view);
            if (resets.length > 0)
                plans[i] = {
                    ...p,
                    action: "blocked",
                    problem:
                        `it holds v3 settings a v2 write could reset (${resets.join("; ")}), so it is not overwritten. ` +
                        "Restore it in incident.io (Alerts → Routes) by hand, or set those settings back to what v2 can say there and run again",
                };
        }),
    );
    return plans;
}

/** PUT at the version the plan read + 1. A refused version, or an answer lost after sending, is
 * settled by reading the route back, as the provider does: it landed only if the route is now at
 * our version holding exactly the backup; otherwise a change made since is not overwritten. */
async function overwrite(client: Client, p: PlannedRoute): Promise<RestoreOutcome> {
    const { route } = p;
    const version = p.live!.version + 1;
    try {
        await client.updateAlertRoute(route.id, route.spec, version);
        return { plan: p, result: "restored" };
    } catch (error) {
        if (!(error instanceof IncidentIoApiError)) throw error;
        if (refused(error)) throw error;
        if (error.isNotFound) return { plan: p, result: "failed", problem: "deleted since it was read: run again to re-create it" };
        if (!(error.isVersionRejected || error.maybeApplied)) return { plan: p, result: "failed", problem: error.message };
        let now: AlertRouteResponse;
        try {
            now = await client.getAlertRoute(route.id);
        } catch (readError) {
            return {
                plan: p,
                result: "failed",
                problem: `${error.message}; reading it back failed too (${(readError as Error).message}): compare it before running again`,
            };
        }
        if (now.version === version && sameRoute(route.spec, fromResponse(now))) return { plan: p, result: "restored" };
        if (!error.isVersionRejected)
            return { plan: p, result: "failed", problem: `${error.message}; the live route is not the backup: run again to compare` };
        return {
            plan: p,
            result: "not overwritten",
            problem: `changed in incident.io since it was read (version ${p.live!.version} → ${now.version}): run again to see the changes`,
        };
    }
}

/** POST once. When the answer is lost after sending, the route may exist: never retried. */
async function create(client: Client, p: PlannedRoute): Promise<RestoreOutcome> {
    try {
        const created = await client.createAlertRoute(p.route.spec);
        // The new id goes into a printed command: only one that needs no quoting (any format incident.io may move to).
        if (!isSafeId(created.id)) {
            return {
                plan: p,
                result: "failed",
                problem: `created, but the answer's id ${describeValue(created.id)} is not an id of letters, digits, _ and -: find the route in incident.io (Alerts → Routes)`,
            };
        }
        return { plan: p, result: "re-created", newId: created.id };
    } catch (error) {
        if (refused(error)) throw error;
        if (!(error instanceof IncidentIoApiError && error.maybeApplied))
            return { plan: p, result: "failed", problem: (error as Error).message };
        const named = await client.listAlertRoutes().then(
            (all) => all.filter((r) => r.name === p.route.spec.name).map((r) => r.id),
            () => undefined,
        );
        return {
            plan: p,
            result: "failed",
            problem:
                `creating it may have succeeded although no answer came back (${error.message}); it was not retried so as not to create it twice. ` +
                (named === undefined
                    ? "Look for it in incident.io (Alerts → Routes) before running again"
                    : named.length > 0
                      ? `incident.io now has ${named.length} route(s) with that name: ${named.join(", ")}`
                      : "incident.io has no route with that name right now, but the request may still be in progress: look again in a minute before running again"),
        };
    }
}

export async function main(argv: string[], io: ScriptIo = processIo(), overrides: ClientOverrides = {}): Promise<number> {
    let flags: Record<string, string | true>;
    let only: string[];
    let positional: string[];
    let client: Client;
    try {
        ({ only, positional, flags } = parseArgs(argv));
        client = clientFor(flags, io, overrides);
    } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        io.error(`${error.message}\n${USAGE}\n`);
        return 2;
    }
    const dirArg = positional[0] ?? DEFAULT_OUT;
    // The default is where backup-routes writes it: backups/ at the project root (the folder of Pulumi.yaml).
    const dir = positional[0] !== undefined ? path.resolve(io.cwd, dirArg) : path.join(projectRoot(io.cwd), DEFAULT_OUT);
    if (!fs.existsSync(dir)) {
        io.error(
            `${dirArg}: no such file or directory. Back the live routes up first: npm run backup-routes -- --out ${shellWord(dirArg)}\n${USAGE}\n`,
        );
        return 2;
    }

    // Everything about the backup is settled before any request.
    const backups = readBackups(dir);
    if (backups.problems.length > 0) {
        io.error(
            `${backups.problems.length} problem(s) in ${dirArg}; nothing was read from or written to incident.io. ` +
                "Fix or move each file named, then run again:\n" +
                backups.problems.map((p) => `  ${escapeControl(p.source)}: ${escapeControl(p.problem)}\n`).join(""),
        );
        return 1;
    }
    if (backups.routes.length === 0) {
        io.error(`${dirArg}: ${emptyReason(dir)}\n`);
        return 1;
    }
    const { selected, unmatched } = selectRoutes(backups.routes, only);
    if (unmatched.length > 0) {
        io.error(
            `--only ${unmatched.map((v) => describeValue(v)).join(", ")}: no route of that id or name in ${dirArg}; nothing was sent. ` +
                `It holds: ${backups.routes.map((r) => `${escapeControl(r.id)} ${describeValue(r.spec.name)}`).join(", ")}\n`,
        );
        return 2;
    }
    const badIds = selected.map((r) => [r, badId(r)] as const).filter(([, problem]) => problem);
    if (badIds.length > 0) {
        io.error(badIds.map(([r, problem]) => `${r.source}: ${problem}\n`).join(""));
        return 1;
    }

    const dryRun = flags["dry-run"] === true;
    const canAsk = flags.yes === true || io.confirm !== undefined;
    // A run that cannot write (dry run, or nobody to confirm) needs only "View data".
    const need: KeyNeed = dryRun || !canAsk ? "read" : "write";
    const key = await checkKey(client, io, need, { quiet: flags.quiet === true });
    if (key.problem) {
        io.error(`${key.problem}\nNothing was read or written.\n`);
        return 1;
    }

    const progress = (text: string) => io.isTTY && io.error(`\r\x1b[2K${text}`);
    let plans: PlannedRoute[];
    try {
        plans = await plan(client, selected, flags["include-managed"] === true, progress);
    } catch (error) {
        progress("");
        io.error(`the API key was refused: ${(error as Error).message}\nNothing was written.\n`);
        return 1;
    }
    progress("");

    io.log(
        `${selected.length} route(s) in ${dirArg}:\n${plans
            .flatMap(describePlan)
            .map((l) => `  ${l}\n`)
            .join("")}\n`,
    );
    const writes = plans.filter((p) => p.action === "overwrite" || p.action === "create");
    const outcomes: RestoreOutcome[] = plans.map((p) => ({
        plan: p,
        result:
            p.action === "same"
                ? "unchanged"
                : p.action === "managed"
                  ? "skipped (managed)"
                  : p.action === "blocked"
                    ? "failed"
                    : "not written",
        problem: p.problem,
    }));

    let confirmed = false;
    if (writes.length === 0) io.log("Nothing to restore.\n");
    else if (dryRun) io.log(`${summaryLine(plans)}. Dry run: nothing was written.\n`);
    else if (flags.yes === true) {
        io.log(`${summaryLine(plans)}: --yes given.\n`);
        confirmed = true;
    } else if (io.confirm) {
        confirmed = await io.confirm(`${summaryLine(plans)}? [y/N] `);
        if (!confirmed) io.log("Not confirmed: nothing was written.\n");
    } else {
        // Every flag given, each --only, the folder, and --yes: the line runs exactly this restore.
        const again = rerunCommand("restore-routes", { ...flags, yes: true }, [...positional, ...only.flatMap((o) => ["--only", o])]);
        io.log(`${summaryLine(plans)}? Nothing was written: there is no terminal to confirm on. To write, run: ${again}\n`);
    }

    if (confirmed) {
        // One at a time: a refused key stops every write after it.
        for (const [n, p] of writes.entries()) {
            io.error(
                `restoring route ${n + 1} of ${writes.length}: ${escapeControl(p.route.id)} ${describeValue(p.route.spec.name)} (${p.action})\n`,
            );
            let outcome: RestoreOutcome;
            try {
                outcome = p.action === "overwrite" ? await overwrite(client, p) : await create(client, p);
            } catch (error) {
                io.error(`the API key was refused: ${(error as Error).message}\nThe routes after it were not written.\n`);
                outcome = { plan: p, result: "failed", problem: (error as Error).message };
                outcomes[plans.indexOf(p)] = outcome;
                break;
            }
            outcomes[plans.indexOf(p)] = outcome;
        }
    }

    io.log(`\n${summaryTable(outcomes)}`);
    const adopt = adoptionLines(outcomes);
    if (adopt.length > 0) {
        io.log(
            `\nRe-created routes have new ids. So that the stack that owns them adopts them instead of creating them again:\n${adopt.map((l) => `  ${l}\n`).join("")}`,
        );
    }
    for (const stack of stacksToRefresh(outcomes)) {
        io.log(
            `\nRoutes stack ${stack} manages were written by hand: run \`pulumi refresh --stack ${shellWord(stack)}\` so its state matches incident.io.\n`,
        );
    }
    const failed = outcomes.filter(couldNotRestore);
    if (failed.length > 0) {
        io.error(
            `\ncould not restore ${failed.length} route(s):\n` +
                failed
                    .map(
                        (o) =>
                            `  ${escapeControl(o.plan.route.id)} ${describeValue(o.plan.route.spec.name)}: ${escapeControl(o.problem ?? "")}\n`,
                    )
                    .join(""),
        );
        return 1;
    }
    return 0;
}

if (require.main === module) runAsScript("restore-routes", main);
