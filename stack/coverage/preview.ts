// `pulumi preview` (and `up`) print the routing coverage's findings as warnings, one line each, once
// per run of the program, so a pull request's preview shows a change that opens a gap.
import * as pulumi from "@pulumi/pulumi";

import type { Environment, RouteDefinition, RouteIds } from "../routes";
import { analyseCoverage, findingLine, type CoverageReport } from "./analysis";
import { acceptedFor, attributeNames, stackSources } from "./fromStack";

/** Where the lines go: Pulumi's log (stack-level diagnostics) unless a test passes its own. */
export interface CoverageLog {
    warn: (message: string) => void;
    info: (message: string) => void;
}

/** Analyses the routes the program is about to register and logs each finding; declared ones as info. */
export function logCoverage(
    environment: Environment,
    routes: RouteDefinition[],
    ids: RouteIds,
    log: CoverageLog = { warn: (m) => void pulumi.log.warn(m), info: (m) => void pulumi.log.info(m) },
): CoverageReport {
    const report = analyseCoverage({
        routes: routes.map((d) => d.spec),
        sources: stackSources(ids),
        subjectNames: attributeNames(ids),
        accepted: acceptedFor(environment, ids),
    });
    for (const finding of report.findings) {
        const line = `routing coverage: ${findingLine(finding)}`;
        if (finding.accepted !== undefined && finding.kind !== "stale acceptance") log.info(line);
        else log.warn(line);
    }
    if (report.findings.length > 0)
        log.info(`routing coverage: the whole table (docs/coverage.md): npm run coverage -- --stack ${environment}`);
    return report;
}
