// npm run discover-config -- --stack <production|staging> [--base-url <url>] [--write]
//
// Finds, in incident.io, every id a stack's routes need and the live routes it should adopt, and
// prints the `pulumi config set` commands. Reads (GET only): alert sources (id, name, source_type),
// alert attributes, escalation paths, alert routes and the details of those the stack owns by name.
// Ids come first from the live routes themselves (their structure against stack/routes.ts, see
// routeIds.ts), then from the workspace's lists by the rules in routeIds.ts (MATCHERS). It never
// guesses: a key with two candidates, or none, is named with its candidates and the exit code is 1.
// The alertSources.* and alertAttributes.* ids are also the adoption ids of the stack's AlertSource and
// AlertAttribute resources (stack/sources.ts): each is checked against its row as adoption will check
// it (the name, and a source's type), so an id the preview would refuse is a problem here, not a command.
// With --write the keys it found go into Pulumi.<stack>.yaml (comments kept); the API key never does.
import * as path from "node:path";

import type { AlertRouteSpec } from "../providers/incident-io";
import { canonical, configSetCommand, describeValue, escapeControl, fromResponse, isSafeId } from "../providers/incident-io";
import { attributesOwnedBy, idsNeededBy, sourceIdentity, sourcesOwnedBy } from "../stack/sources";
import { ENVIRONMENTS, ID_DESCRIPTIONS, routesOwnedBy, type Environment, type IdRef, type RouteIds, type RouteRow } from "../stack/routes";
import {
    clientFor,
    parseFlags,
    projectRoot,
    processIo,
    rerunCommand,
    runAsScript,
    UsageError,
    type ClientOverrides,
    type ScriptIo,
} from "./cli";
import { readStackFile, StackFileError, stackConfig, unknownKeys, writeStackFileText } from "./stackFile";
import { stackFileIds } from "./import-routes";
import { updateStillToSet } from "./stillToSet";
import { checkKey } from "./keyCheck";
import { configKey, fits, idsAcrossRoutes, matcherOf, type Described } from "./routeIds";
import { checklyBaseUrlFlag, readChecklyChannel } from "./checklyChannel";

const USAGE =
    "usage: npm run discover-config -- --stack <production|staging> [--base-url <url>] [--checkly-base-url <url>] [--write] [--project-dir <dir holding Pulumi.<stack>.yaml>] [--quiet]   (key from INCIDENT_IO_TOKEN; Checkly's from CHECKLY_API_KEY and CHECKLY_ACCOUNT_ID)";

/** One object of the workspace a key may name. */
export interface Candidate {
    id: string;
    name: string;
    source_type?: string;
}

export interface Found {
    key: string;
    value: string;
    /** Why this value: which route, or which rule. */
    evidence: string;
}

export interface Problem {
    key: string;
    problem: string;
    candidates: string[];
}

export interface Workspace {
    sources: Candidate[];
    attributes: Candidate[];
    escalationPaths: Candidate[];
    /** The live routes named like a route the stack owns, with their details. */
    routes: Array<{ id: string; name: string; spec: AlertRouteSpec; version?: number }>;
}

export interface Discovery {
    found: Found[];
    problems: Problem[];
    notes: string[];
}

const describeCandidate = (c: Candidate) =>
    `${escapeControl(c.id)} "${escapeControl(c.name)}"${c.source_type ? ` (${escapeControl(c.source_type)})` : ""}`;

const STACK_WORD: Record<Environment, RegExp> = { production: /\bprod/i, staging: /\bstag/i };

/** The resource that adopts the id under a config key: a row of stack/sources.ts. */
export interface Adopter {
    resource: "AlertSource" | "AlertAttribute";
    name: string;
    /** Sources only: a type can never change, so a live source of another type can never be adopted. */
    source_type?: string;
}

/** Per config key (`alert-routing:alertSources.<key>`, `alertAttributes.<key>`), what adopts its id in this stack. */
export function adoptersOf(stack: Environment): Map<string, Adopter> {
    const adopters = new Map<string, Adopter>();
    for (const row of sourcesOwnedBy(stack))
        adopters.set(configKey({ group: "alertSources", name: row.key }), { resource: "AlertSource", ...sourceIdentity(row) });
    for (const row of attributesOwnedBy(stack))
        adopters.set(configKey({ group: "alertAttributes", name: row.key }), { resource: "AlertAttribute", name: row.spec.name });
    return adopters;
}

/** Why adopting `id` would be refused at preview, or undefined when its name (and type) match the row. */
export function adoptionProblem(adopter: Adopter, id: string, live: Candidate | undefined): string | undefined {
    const noun = adopter.resource === "AlertSource" ? "alert source" : "alert attribute";
    const row = `${adopter.resource} "${escapeControl(adopter.name)}" (stack/sources.ts)`;
    if (!live) return `incident.io lists no ${noun} ${escapeControl(id)}, so the ${row} could not adopt it. Look for it in the dashboard`;
    if (adopter.source_type !== undefined && live.source_type !== adopter.source_type) {
        return (
            `${describeCandidate(live)} is of type ${escapeControl(String(live.source_type))}, but the ${row} is of type ${adopter.source_type}: ` +
            `a source's type never changes (another type is another source, with another URL and token), so adoption would be refused. ` +
            `Set the id of the ${adopter.source_type} source, or correct the row`
        );
    }
    if (live.name !== adopter.name) {
        return (
            `${describeCandidate(live)} is not named "${escapeControl(adopter.name)}" as the ${row} defines it, so adoption would be refused ` +
            `(it checks the name, so as not to overwrite another ${noun}). If it is the right one, rename the row to "${escapeControl(live.name)}" ` +
            `(or the ${noun} in incident.io) and run this again`
        );
    }
    return undefined;
}

/** Keeps those passing `test`, unless none would. */
function prefer<T>(items: T[], test: (item: T) => boolean): T[] {
    const kept = items.filter(test);
    return kept.length > 0 ? kept : items;
}

/** Pure: what a stack's config should hold, from what the workspace holds. */
export function discover(stack: Environment, ws: Workspace, known: RouteIds, knownAdopt: Record<string, string> = {}): Discovery {
    const found: Found[] = [];
    const problems: Problem[] = [];
    const notes: string[] = [];

    // Routes to adopt: one live route per owned name.
    const adopted: Array<{ row: RouteRow; route: Workspace["routes"][number] }> = [];
    for (const row of routesOwnedBy(stack)) {
        const live = ws.routes.filter((r) => r.name === row.name);
        const key = `alert-routing:adopt.${row.key}`;
        const fileAdopt = knownAdopt[row.key];
        if (live.length === 1 && fileAdopt !== undefined && fileAdopt !== live[0].id) {
            // Like the id keys: the file and incident.io disagree, and a stack adopts one route.
            problems.push({
                key,
                problem: `Pulumi.${stack}.yaml adopts ${escapeControl(String(fileAdopt))}, but the live route "${row.name}" is ${live[0].id}. Check which is right; adopting the wrong id rewrites another route`,
                candidates: [
                    `${escapeControl(String(fileAdopt))} (Pulumi.${stack}.yaml)`,
                    `${live[0].id} "${escapeControl(live[0].name)}" (incident.io)`,
                ],
            });
        } else if (live.length === 1) {
            adopted.push({ row, route: live[0] });
            found.push({ key, value: live[0].id, evidence: `the live route "${row.name}"` });
        } else if (live.length === 0) {
            notes.push(`no live route is named "${row.name}": the first \`pulumi up --stack ${stack}\` creates it (nothing to adopt)`);
        } else {
            problems.push({
                key,
                problem: `${live.length} live routes are named "${row.name}"; a stack adopts one. Set the one to keep by hand, and delete or rename the others in incident.io`,
                candidates: live.map(
                    (r) => `${escapeControl(r.id)} "${escapeControl(r.name)}"${r.version !== undefined ? ` v${r.version}` : ""}`,
                ),
            });
        }
    }

    const described = new Map<string, Described>();
    for (const c of [...ws.sources, ...ws.attributes]) described.set(c.id, { name: c.name, source_type: c.source_type });
    const { findings, keys } = idsAcrossRoutes(
        adopted.map((a) => ({ spec: a.route.spec, row: a.row })),
        { described, known },
    );
    const routesUsing = (refKey: string, id: string) =>
        adopted
            .filter((_, i) => findings[i].some((f) => f.id === id && f.keys.length === 1 && configKey(f.keys[0]) === refKey))
            .map((a) => `"${a.row.name}"`);

    const pool = (ref: IdRef): Candidate[] =>
        ref.group === "alertSources"
            ? ws.sources
            : ref.group === "alertAttributes"
              ? ws.attributes
              : ref.group === "escalationPaths"
                ? ws.escalationPaths
                : [];
    const byId = new Map([...ws.sources, ...ws.attributes, ...ws.escalationPaths].map((c) => [c.id, c]));
    const show = (id: string) => (byId.has(id) ? describeCandidate(byId.get(id)!) : id);

    const adopters = adoptersOf(stack);
    for (const ref of idsNeededBy(stack)) {
        const key = configKey(ref);
        const adopter = adopters.get(key);
        const fileValue = (known[ref.group] as Record<string, string | undefined>)[ref.name];
        const what = (ID_DESCRIPTIONS[ref.group] as Record<string, string>)[ref.name];
        const fromRoutes = keys.get(key);
        let value: string | undefined;
        let evidence = "";

        if (fromRoutes && fromRoutes.ids.length > 1) {
            problems.push({
                key,
                problem: `the live routes use different ids for ${what}`,
                candidates: fromRoutes.ids.map((id) => `${show(id)} in ${routesUsing(key, id).join(", ")}`),
            });
            continue;
        }
        if (fromRoutes && fromRoutes.ids.length === 1) {
            value = fromRoutes.ids[0];
            evidence = `used as ${what} by the live route${routesUsing(key, value).length > 1 ? "s" : ""} ${routesUsing(key, value).join(", ")}`;
        } else if (matcherOf(ref).fromRoutesOnly) {
            problems.push({
                key,
                problem: `no live route of ${stack} shows ${what}, and incident.io cannot list it. Find it by hand (Slack: the channel's details, "Channel ID") and set it`,
                candidates: [],
            });
            continue;
        } else {
            const m = matcherOf(ref);
            let candidates = pool(ref).filter((c) => fits(ref, { name: c.name, source_type: c.source_type }));
            const steps: string[] = [m.sourceTypes ? `of type ${m.sourceTypes.join("/")}` : `named like ${m.name}`];
            const narrowBy = (label: string, test: (c: Candidate) => boolean) => {
                const before = candidates.length;
                candidates = prefer(candidates, test);
                if (candidates.length < before) steps.push(label);
            };
            if (candidates.length > 1 && fileValue) narrowBy(`set in Pulumi.${stack}.yaml`, (c) => c.id === fileValue);
            if (candidates.length > 1 && adopter) narrowBy(`named as in stack/sources.ts`, (c) => c.name === adopter.name);
            if (candidates.length > 1 && fromRoutes?.candidates.length)
                narrowBy("in a live route of the stack", (c) => fromRoutes.candidates.includes(c.id));
            if (candidates.length > 1 && m.preferName) narrowBy(`named like ${m.preferName}`, (c) => m.preferName!.test(c.name));
            if (candidates.length > 1) {
                const others = ENVIRONMENTS.filter((e) => e !== stack);
                narrowBy(`named for ${stack}`, (c) => STACK_WORD[stack].test(c.name) && !others.some((o) => STACK_WORD[o].test(c.name)));
            }
            if (candidates.length !== 1) {
                problems.push({
                    key,
                    problem:
                        candidates.length === 0
                            ? `nothing in incident.io fits ${what} (${steps[0]})`
                            : `${candidates.length} fit ${what} (${steps.join(", ")}); pick one in the dashboard and set it`,
                    candidates: candidates.map(describeCandidate),
                });
                continue;
            }
            value = candidates[0].id;
            evidence = `the only ${ref.group === "alertSources" ? "alert source" : ref.group === "alertAttributes" ? "alert attribute" : "escalation path"} ${steps.join(", ")}: "${candidates[0].name}"`;
        }
        if (fileValue && fileValue !== value) {
            problems.push({
                key,
                problem: `Pulumi.${stack}.yaml sets ${fileValue}, but incident.io says otherwise (${evidence}). Check which is right; adopting with the wrong id rewrites the live route`,
                candidates: [`${show(fileValue)} (Pulumi.${stack}.yaml)`, `${show(value)} (incident.io)`],
            });
            continue;
        }
        const problem = adopter && adoptionProblem(adopter, value, byId.get(value));
        if (problem) {
            problems.push({ key, problem, candidates: [`${show(value)} (${escapeControl(evidence)})`] });
            continue;
        }
        if (fileValue === value) evidence += `; already in Pulumi.${stack}.yaml`;
        if (adopter) evidence += `; adopted by the ${adopter.resource} "${adopter.name}"`;
        found.push({ key, value, evidence });
    }
    // Ids first (config order), then the routes to adopt.
    found.sort((a, b) => Number(a.key.startsWith("alert-routing:adopt.")) - Number(b.key.startsWith("alert-routing:adopt.")));
    return { found, problems, notes };
}

/** One pastable command per key: the value shell-quoted (it is a safe id by then), the evidence's control characters escaped. */
export function commands(stack: Environment, found: Found[]): string[] {
    return found.map((f) => `${configSetCommand({ stack, key: f.key, value: f.value, path: true })}   # ${escapeControl(f.evidence)}`);
}

/** Moves every found value that is not a safe id (letters, digits, `_`, `-`) to the problems: such a
 * value from an API answer is never printed in a command nor written to the stack file. */
export function refuseUnsafe(d: Discovery): Discovery {
    const unsafe = d.found.filter((f) => !isSafeId(f.value));
    return {
        ...d,
        found: d.found.filter((f) => isSafeId(f.value)),
        problems: [
            ...d.problems,
            ...unsafe.map((f) => ({
                key: f.key,
                problem: `refused: incident.io gave ${describeValue(f.value)} (${escapeControl(f.evidence)}), which is not an id of letters, digits, _ and -; it was neither printed as a command nor written. Check it in the dashboard`,
                candidates: [],
            })),
        ],
    };
}

/** Sets `alert-routing:<group>.<name>` keys in a stack file, keeping its comments, order, BOM and
 * line endings. A key the file already sets to another value is never replaced: it is returned in
 * `conflicts` (discover() reports those first, so this is the last guard). */
export function writeStackFile(file: string, found: Found[], stack: Environment): { changed: string[]; conflicts: string[] } {
    const sf = readStackFile(file);
    const doc = sf.doc;
    if (!doc.has("config")) doc.set("config", doc.createNode({}));
    const changed: string[] = [];
    const conflicts: string[] = [];
    for (const f of found) {
        if (!isSafeId(f.value)) continue;
        const [namespaced, name] = f.key.split(/\.(.*)/s, 2);
        const at = ["config", namespaced, name];
        const current = doc.getIn(at);
        if (current === f.value) continue;
        if (current !== undefined && current !== null) {
            conflicts.push(f.key);
            continue;
        }
        if (!doc.hasIn(["config", namespaced])) doc.setIn(["config", namespaced], doc.createNode({}));
        doc.setIn(at, f.value);
        changed.push(f.key);
    }
    // The header's "Still to set" list follows what the file now holds (stillToSet.ts).
    if (updateStillToSet(doc, stack) || changed.length > 0) writeStackFileText(sf);
    return { changed, conflicts };
}

/** Reads what discover() needs; the alert sources' tokens are dropped on arrival. */
export async function readWorkspace(client: ReturnType<typeof clientFor>, stack: Environment): Promise<Workspace> {
    const owned = new Set(routesOwnedBy(stack).map((r) => r.name));
    const [sources, attributes, escalationPaths, routes] = await Promise.all([
        client.listAlertSources(),
        client.listAlertAttributes(),
        client.listEscalationPaths(),
        client.listAlertRoutes(),
    ]);
    const details = await Promise.all(
        routes
            .filter((r) => owned.has(r.name))
            .map(async (r) => {
                const route = await client.getAlertRoute(r.id);
                return { id: r.id, name: route.name, version: route.version, spec: canonical(fromResponse(route)) };
            }),
    );
    return {
        sources: sources.map(({ id, name, source_type }) => ({ id, name, source_type })),
        attributes: attributes.map(({ id, name }) => ({ id, name })),
        escalationPaths: escalationPaths.map(({ id, name }) => ({ id, name })),
        routes: details,
    };
}

export async function main(
    argv: string[],
    io: ScriptIo = processIo(),
    overrides: ClientOverrides & { projectDir?: string } = {},
): Promise<number> {
    let flags: Record<string, string | true>;
    let client: ReturnType<typeof clientFor>;
    let stack: Environment;
    let checklyBaseUrl: string | undefined;
    try {
        flags = parseFlags(argv, ["stack", "base-url", "checkly-base-url", "project-dir"], ["write", "quiet"]);
        if (!ENVIRONMENTS.includes(flags.stack as Environment)) {
            throw new UsageError(
                flags.stack === undefined
                    ? "--stack is required"
                    : `--stack must be one of ${ENVIRONMENTS.join(", ")}, got ${JSON.stringify(flags.stack)}`,
            );
        }
        stack = flags.stack as Environment;
        checklyBaseUrl = checklyBaseUrlFlag(flags);
        client = clientFor(flags, io, overrides, rerunCommand("discover-config", flags));
    } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        io.error(`${error.message}\n${USAGE}\n`);
        return 2;
    }
    const projectDir =
        typeof flags["project-dir"] === "string"
            ? path.resolve(io.cwd, flags["project-dir"])
            : (overrides.projectDir ?? projectRoot(io.cwd));
    const rerun = rerunCommand("discover-config", flags);
    // The stack file first: a broken one is named before anything is asked or printed.
    const stackFilePath = path.join(projectDir, `Pulumi.${stack}.yaml`);
    let knownAdopt: Record<string, string>;
    try {
        const sf = readStackFile(stackFilePath);
        const adopt = stackConfig(sf)["alert-routing:adopt"];
        knownAdopt = adopt && typeof adopt === "object" ? (adopt as Record<string, string>) : {};
        for (const unknown of unknownKeys(sf)) io.error(`warning: Pulumi.${stack}.yaml: ${unknown}\n`);
    } catch (error) {
        if (!(error instanceof StackFileError)) throw error;
        io.error(`${error.message}\n`);
        return 1;
    }

    const key = await checkKey(client, io, "read", { quiet: flags.quiet === true });
    if (key.problem) {
        io.error(`${key.problem}\nNothing was read or written.\n`);
        return 1;
    }
    let workspace: Workspace;
    try {
        workspace = await readWorkspace(client, stack);
    } catch (error) {
        io.error(`could not read incident.io: ${(error as Error).message}\nNothing was written. Fix the cause, then run again: ${rerun}\n`);
        return 1;
    }
    const knownIds = stackFileIds(stack, projectDir);
    const discovery = discover(stack, workspace, knownIds, knownAdopt);
    // The stack's Checkly channel: the one posting to its Checkly source (scripts/checklyChannel.ts).
    const channel = await readChecklyChannel(
        io,
        {
            stack,
            baseUrl: checklyBaseUrl,
            checklySourceId:
                discovery.found.find((f) => f.key === "alert-routing:alertSources.checkly")?.value ?? knownIds.alertSources.checkly,
            fileAdopt: knownAdopt.checklyChannel === undefined ? undefined : String(knownAdopt.checklyChannel),
            rerun,
        },
        overrides,
    );
    if (channel.found) discovery.found.push(channel.found);
    if (channel.problem) discovery.problems.push(channel.problem);
    discovery.notes.push(...channel.notes);
    const { found, problems, notes } = refuseUnsafe(discovery);

    io.log(`# ${stack}: ${found.length} key(s) found in incident.io (${workspace.routes.length} live route(s) named like the stack's)\n`);
    io.log(
        `# the alertSources.* and alertAttributes.* ids are what the stack's ${sourcesOwnedBy(stack).length} AlertSource and ${attributesOwnedBy(stack).length} AlertAttribute resource(s) adopt (stack/sources.ts)\n`,
    );
    io.log(
        commands(stack, found)
            .map((c) => `${c}\n`)
            .join(""),
    );
    for (const note of notes) io.log(`# note: ${note}\n`);
    if (flags.write) {
        const { changed, conflicts } = writeStackFile(stackFilePath, found, stack);
        io.log(
            `\nwrote ${changed.length} key(s) to Pulumi.${stack}.yaml${changed.length ? `: ${changed.join(", ")}` : " (all already set)"}\n`,
        );
        for (const key of conflicts) {
            problems.push({ key, problem: `Pulumi.${stack}.yaml already sets another value; it was not replaced`, candidates: [] });
        }
    }
    if (problems.length > 0) {
        io.error(
            `\n${problems.length} key(s) not set: incident.io does not settle them, and this never guesses:\n` +
                problems
                    .map(
                        (p) =>
                            `  ${p.key}: ${p.problem}.\n${p.candidates.map((c) => `      candidate: ${c}\n`).join("")}      then: ${configSetCommand({ stack, key: p.key, value: "<id>", path: true })}\n`,
                    )
                    .join(""),
        );
        return 1;
    }
    return 0;
}

if (require.main === module) runAsScript("discover-config", main);
