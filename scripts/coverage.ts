// npm run coverage -- --stack <production|staging> [--from <backup folder>] [--strict]
//
// Which alerts each route receives, per alert source and class of alerts, and where alerts fall
// through (gaps) or arrive twice (overlaps): from the route table (stack/routes.ts), or with --from
// from the live routes in a folder written by `npm run backup-routes`. Reads no API. Exit 0 with the
// findings as warnings; with --strict, 1 when a gap, overlap or unused source is not declared in
// ACCEPTED_COVERAGE (docs/coverage.md).
import * as fs from "node:fs";
import * as path from "node:path";

import { analyseCoverage, undeclared, type CoverageInput, type CoverageSource } from "../stack/coverage/analysis";
import { acceptedFor, attributeNames, stackCoverageInput, stackSources } from "../stack/coverage/fromStack";
import { coverageText } from "../stack/coverage/report";
import { ENVIRONMENTS, type Environment, type RouteIds } from "../stack/routes";
import { readBackups } from "./backups";
import { parseFlags, processIo, projectRoot, runAsScript, UsageError, type ScriptIo } from "./cli";
import { stackFileIds } from "./import-routes";
import { StackFileError, stackFileWarnings } from "./stackFile";

const USAGE = "usage: npm run coverage -- --stack <production|staging> [--from <backup folder>] [--strict]";

export async function main(argv: string[], io: ScriptIo = processIo()): Promise<number> {
    let flags: Record<string, string | true>;
    try {
        flags = parseFlags(argv, ["stack", "from", "project-dir"], ["strict"]);
        if (typeof flags.stack !== "string") throw new UsageError("--stack is required");
        if (!(ENVIRONMENTS as readonly string[]).includes(flags.stack))
            throw new UsageError(`--stack must be one of ${ENVIRONMENTS.join(", ")}, got ${JSON.stringify(flags.stack)}`);
    } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        io.error(`${error.message}\n${USAGE}\n`);
        return 2;
    }
    const stack = flags.stack as Environment;
    // The project's stack file (the folder of Pulumi.yaml from where it is run), read first: a broken
    // one is named before anything is printed, and keys nothing reads are named as the program names them.
    const projectDir = typeof flags["project-dir"] === "string" ? path.resolve(io.cwd, flags["project-dir"]) : projectRoot(io.cwd);
    let ids: RouteIds;
    try {
        for (const warning of stackFileWarnings(projectDir, stack)) io.error(warning);
        ids = stackFileIds(stack, projectDir);
    } catch (error) {
        if (!(error instanceof StackFileError)) throw error;
        io.error(`${error.message}\n`);
        return 1;
    }

    let input: CoverageInput;
    let heading: string;
    if (typeof flags.from === "string") {
        const folder = path.resolve(io.cwd, flags.from);
        if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) {
            io.error(
                `--from ${JSON.stringify(flags.from)} is not a folder; give the folder \`npm run backup-routes\` wrote (backups/incident.io)\n`,
            );
            return 2;
        }
        const live = fromBackups(stack, ids, folder);
        if ("problems" in live) {
            io.error(
                `${live.problems.map((p) => `${p}\n`).join("")}` +
                    `No coverage was computed: a report without those routes could show gaps that are not there. ` +
                    `Move the files aside or back up again (npm run backup-routes), then rerun.\n`,
            );
            return 1;
        }
        input = live.input;
        heading = `Routing coverage of the ${stack} stack's alert sources, from the live routes in ${JSON.stringify(flags.from)} (${routeCount(input.routes.length)})`;
    } else {
        input = stackCoverageInput(stack, ids);
        heading = `Routing coverage of the ${stack} stack, from stack/routes.ts (${routeCount(input.routes.length)})`;
    }
    const report = analyseCoverage(input);
    io.log(coverageText(report, heading));
    const open = undeclared(report.findings);
    if (flags.strict && open.length > 0) {
        io.error(
            `--strict: ${open.length} gap(s), overlap(s) or unused source(s) not declared. Fix the routes in stack/routes.ts, ` +
                `or declare the intended ones in ACCEPTED_COVERAGE there (docs/coverage.md), then: npm run coverage -- --stack ${stack} --strict\n`,
        );
        return 1;
    }
    return 0;
}

/**
 * The live routes in a backup folder, all of them: incident.io routes every alert through every
 * route, whichever stack (or nobody) manages it. The sources reported are the stack's: those its
 * config names, and any other its own routes take from.
 */
export function fromBackups(stack: Environment, ids: RouteIds, folder: string): { input: CoverageInput } | { problems: string[] } {
    const backups = readBackups(folder);
    if (backups.problems.length > 0) return { problems: backups.problems.map((p) => `${p.source}: ${p.problem}`) };
    if (backups.routes.length === 0) return { problems: [`${folder}: no route backups (*.json) in it`] };
    const sources: CoverageSource[] = stackSources(ids);
    for (const route of backups.routes.filter((r) => r.owner === stack))
        for (const s of route.spec.alert_sources)
            if (!sources.some((known) => known.id === s.alert_source_id)) sources.push({ id: s.alert_source_id, name: s.alert_source_id });
    const routes = backups.routes.map((r) => ({
        ...r.spec,
        name: r.owner === stack ? r.spec.name : `${r.spec.name} [${r.owner ? `${r.owner} stack` : "not managed"}]`,
    }));
    return {
        input: {
            routes,
            sources,
            subjectNames: { ...subjectLabels(folder), ...attributeNames(ids) },
            accepted: acceptedFor(stack, ids),
        },
    };
}

/** `alert.attributes.<id>` → the label incident.io answered with ("Severity"), from the backups as saved. */
export function subjectLabels(folder: string): Record<string, string> {
    const labels: Record<string, string> = {};
    const walk = (node: unknown): void => {
        if (Array.isArray(node)) return node.forEach(walk);
        if (!node || typeof node !== "object") return;
        const subject = (node as { subject?: unknown }).subject as { reference?: unknown; label?: unknown } | undefined;
        if (subject && typeof subject.reference === "string" && typeof subject.label === "string" && subject.label.trim() !== "")
            labels[subject.reference] ??= subject.label;
        Object.values(node).forEach(walk);
    };
    for (const file of fs.readdirSync(folder).filter((f) => f.endsWith(".json"))) {
        try {
            walk(JSON.parse(fs.readFileSync(path.join(folder, file), "utf8")));
        } catch {
            // readBackups has already reported a file that is not JSON.
        }
    }
    return labels;
}

if (require.main === module) runAsScript("coverage", main);

function routeCount(n: number): string {
    return `${n} route${n === 1 ? "" : "s"}`;
}
