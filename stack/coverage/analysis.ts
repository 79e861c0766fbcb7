// Routing coverage: which alerts each route receives, and where alerts fall through (gaps) or
// arrive twice (overlaps). Pure: route definitions (the stack's, or live routes from a backup) in,
// a report out; stack/coverage/report.ts prints it, the CLI and `pulumi preview` show it.
import type { AlertSourceFilter, ConditionGroup } from "../../providers/incident-io";
import { MAX_CLASSES, classesOf, type AlertClass, type ClassTest, type Dimension, type SourceFilter } from "./classes";
import { describeClass, printable } from "./words";

/** The parts of a route (payload or canonical shape) that decide which alerts it receives. */
export interface CoverageRoute {
    name: string;
    /** Absent means enabled, as the provider's default. */
    enabled?: boolean;
    alert_sources: AlertSourceFilter[];
    condition_groups?: ConditionGroup[];
}

export interface CoverageSource {
    id: string;
    /** The name the report uses, e.g. the stack config key `alertmanager`. */
    name: string;
}

/** An intended gap or overlap: the alerts of `sourceId` that pass every test in `when` (all of them when empty). */
export interface AcceptedClass {
    sourceId: string;
    when: ClassTest[];
    why: string;
    /** How the route table wrote it, for the report (e.g. `planetScale, branch is not main`). */
    declared: string;
}

export interface CoverageInput {
    /** Every route that may receive the sources' alerts (enabled or not). */
    routes: CoverageRoute[];
    /** The sources to report on, in report order. */
    sources: CoverageSource[];
    /** Human names of condition subjects (`alert.attributes.<id>` → `severity`); others print as written. */
    subjectNames?: Record<string, string>;
    accepted?: AcceptedClass[];
    /** Per source, classes beyond this many are not enumerated (default MAX_CLASSES). */
    maxClasses?: number;
}

export type FindingKind = "gap" | "overlap" | "not evaluated" | "unused source" | "stale acceptance";

export interface Finding {
    kind: FindingKind;
    source: string;
    /** The class in plain words, e.g. `severity is any value but critical or warning`. */
    alerts: string;
    routes: string[];
    notEvaluated?: Array<{ route: string; why: string[] }>;
    /** The declaration's reason, when the route table says this gap or overlap is intended. */
    accepted?: string;
    /** For "stale acceptance": the declaration as written. */
    declared?: string;
}

export interface ClassRow {
    alerts: string;
    /** What the row is a finding of, if anything. */
    finding?: FindingKind;
    routes: string[];
    notEvaluated: Array<{ route: string; why: string[] }>;
    accepted?: string;
}

export interface SourceReport {
    source: CoverageSource;
    dimensions: Dimension[];
    rows: ClassRow[];
    /** Routes that list the source but are disabled: they receive nothing. */
    disabled: string[];
}

export interface CoverageReport {
    sources: SourceReport[];
    findings: Finding[];
    routeCount: number;
}

export function analyseCoverage(input: CoverageInput): CoverageReport {
    const nameOf = (subject: string) => input.subjectNames?.[subject] ?? subject;
    const accepted = input.accepted ?? [];
    const used = new Set<number>();
    const sources: SourceReport[] = [];
    const findings: Finding[] = [];

    for (const source of input.sources) {
        const listing = input.routes.filter((r) => (r.alert_sources ?? []).some((s) => s.alert_source_id === source.id));
        const enabled = listing.filter((r) => r.enabled !== false);
        const disabled = listing.filter((r) => r.enabled === false).map((r) => r.name);
        const declarations = accepted.map((a, i) => ({ a, i })).filter(({ a }) => a.sourceId === source.id);
        const filters: SourceFilter[] = enabled.map((r) => ({
            route: r.name,
            entry: r.alert_sources.find((s) => s.alert_source_id === source.id)?.condition_groups ?? [],
            routeLevel: r.condition_groups ?? [],
        }));
        if (enabled.length === 0) {
            // Every alert of the source falls through; one finding says so, accepted only by a declaration for all its alerts.
            const whole = declarations.find(({ a }) => a.when.length === 0);
            if (whole) used.add(whole.i);
            sources.push({
                source,
                dimensions: [],
                rows: [
                    {
                        alerts: "every alert",
                        finding: "unused source",
                        routes: [],
                        notEvaluated: [],
                        ...(whole ? { accepted: whole.a.why } : {}),
                    },
                ],
                disabled,
            });
            findings.push({
                kind: "unused source",
                source: source.name,
                alerts: "every alert",
                routes: [],
                ...(whole ? { accepted: whole.a.why } : {}),
            });
            continue;
        }
        const maxClasses = input.maxClasses ?? MAX_CLASSES;
        const split = classesOf(
            filters,
            declarations.map(({ a }) => a.when),
            maxClasses,
            nameOf,
        );
        const reasonOf = (c: AlertClass) => (c.accepted === undefined ? undefined : declarations[c.accepted]);
        if (split.tooMany !== undefined) {
            sources.push({ source, dimensions: split.dimensions, rows: [], disabled });
            findings.push({
                kind: "not evaluated",
                source: source.name,
                alerts: "every alert",
                routes: [],
                notEvaluated: enabled.map((r) => ({
                    route: r.name,
                    why: [
                        `the routes' conditions split this source's alerts into more than ${maxClasses} classes, which this analysis does not enumerate`,
                    ],
                })),
            });
            continue;
        }
        const rows: ClassRow[] = split.classes.map((c) => {
            const declaration = reasonOf(c);
            const finding = findingKind(c);
            return {
                alerts: describeClass(split.dimensions, c.cells, nameOf),
                ...(finding ? { finding } : {}),
                routes: c.receivers,
                notEvaluated: c.notEvaluated,
                ...(declaration ? { accepted: declaration.a.why } : {}),
            };
        });
        sources.push({ source, dimensions: split.dimensions, rows, disabled });

        split.classes.forEach((c, i) => {
            const kind = rows[i].finding;
            if (!kind) return;
            const declaration = reasonOf(c);
            if (declaration && (kind === "gap" || kind === "overlap")) used.add(declaration.i);
            findings.push({
                kind,
                source: source.name,
                alerts: rows[i].alerts,
                routes: c.receivers,
                ...(c.notEvaluated.length > 0 ? { notEvaluated: c.notEvaluated } : {}),
                ...(declaration && kind !== "not evaluated" ? { accepted: declaration.a.why } : {}),
            });
        });
    }

    accepted.forEach((a, i) => {
        if (used.has(i)) return;
        const source = input.sources.find((s) => s.id === a.sourceId)?.name ?? a.sourceId;
        findings.push({ kind: "stale acceptance", source, alerts: a.declared, routes: [], declared: a.declared, accepted: a.why });
    });
    return { sources, findings, routeCount: input.routes.length };
}

function findingKind(c: AlertClass): FindingKind | undefined {
    if (c.receivers.length >= 2) return "overlap";
    if (c.notEvaluated.length > 0) return "not evaluated";
    if (c.receivers.length === 0) return "gap";
    return undefined;
}

/** Findings the route table does not declare: what `--strict` fails on. */
export function undeclared(findings: Finding[]): Finding[] {
    return findings.filter((f) => (f.kind === "gap" || f.kind === "overlap" || f.kind === "unused source") && f.accepted === undefined);
}

/** One line per finding, the same in the CLI and in `pulumi preview`. */
export function findingLine(f: Finding): string {
    const every = f.alerts === "every alert";
    const alerts = every ? `every ${f.source} alert` : `${f.source} alerts where ${f.alerts}`;
    const reach = every ? "reaches" : "reach";
    const routes = f.routes.map(printable).join(", ");
    const because = f.accepted !== undefined ? ` (accepted: ${printable(f.accepted)})` : "";
    const maybe = (f.notEvaluated ?? []).map((n) => `${printable(n.route)} (${n.why.map(printable).join("; ")})`).join(", ");
    switch (f.kind) {
        case "gap":
            return `${f.accepted !== undefined ? "accepted gap" : "gap"}: ${alerts} ${reach} no route${because}`;
        case "overlap":
            return (
                `${f.accepted !== undefined ? "accepted overlap" : "overlap"}: ${alerts} ${reach} ${f.routes.length} routes: ${routes}` +
                `${maybe ? `; not evaluated here: ${maybe}` : ""}${because}`
            );
        case "not evaluated":
            return `not evaluated here: ${alerts}: ${routes ? `received by ${routes}; ` : ""}maybe by ${maybe}`;
        case "unused source":
            return `${f.accepted !== undefined ? "accepted unused source" : "unused source"}: no enabled route takes ${f.source}'s alerts${because}`;
        case "stale acceptance":
            return `accepted but no longer a gap or overlap: ${printable(f.declared ?? "")}: remove the declaration from the route table's accepted list`;
    }
}
