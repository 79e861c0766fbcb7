// The coverage analysis's input from the stack: the routes a stack owns (stack/routes.ts) rendered
// with its ids, its alert sources named by their config keys, its attributes by theirs, and the
// route table's declared gaps and overlaps.
import * as pulumi from "@pulumi/pulumi";

import {
    ACCEPTED_COVERAGE,
    ID_DESCRIPTIONS,
    idsRequiredBy,
    routeDefinitions,
    type AcceptedCoverage,
    type AlertClassTest,
    type Environment,
    type IdGroup,
    type RouteIds,
} from "../routes";
import { alertAttribute } from "../routeParts";
import type { AcceptedClass, CoverageInput, CoverageSource } from "./analysis";
import type { ClassTest } from "./classes";

/**
 * The stack's ids, with each id its routes need but the config does not set standing in as its
 * config key (`planetScale`), so the route table can be analysed before every id is known.
 */
export function withStandInIds(environment: Environment, ids: RouteIds): RouteIds {
    const filled = Object.fromEntries(Object.entries(ids).map(([group, names]) => [group, { ...names }])) as Record<
        IdGroup,
        Record<string, string | undefined>
    >;
    for (const ref of idsRequiredBy(environment)) filled[ref.group][ref.name] ??= ref.name;
    return filled as RouteIds;
}

/** The stack's alert sources, in config order, named by their config keys. */
export function stackSources(ids: RouteIds): CoverageSource[] {
    const set = ids.alertSources as Record<string, string | undefined>;
    return Object.keys(ID_DESCRIPTIONS.alertSources).flatMap((name) => (set[name] ? [{ id: set[name]!, name }] : []));
}

/** `alert.attributes.<id>` → the attribute's config key (`severity`), for every attribute the stack knows. */
export function attributeNames(ids: RouteIds): Record<string, string> {
    return Object.fromEntries(
        Object.entries(ids.alertAttributes as Record<string, string | undefined>).flatMap(([name, id]) =>
            id ? [[alertAttribute(id), name]] : [],
        ),
    );
}

/** Thrown before any analysis when a declaration in the route table cannot be read. */
export class CoverageDeclarationError extends pulumi.RunError {
    constructor(
        readonly environment: Environment,
        readonly problems: string[],
    ) {
        super(
            `stack/routes.ts ACCEPTED_COVERAGE has ${problems.length} problem(s); no coverage was computed:\n` +
                problems.map((p) => `  ${p}`).join("\n") +
                `\nNothing was read from or changed in incident.io. Fix the declarations, then: npm run coverage -- --stack ${environment}`,
        );
        this.name = "CoverageDeclarationError";
    }
}

/** The route table's declarations for one stack, with ids in place of config keys. Checks every one first. */
export function acceptedFor(
    environment: Environment,
    ids: RouteIds,
    table: readonly AcceptedCoverage[] = ACCEPTED_COVERAGE,
): AcceptedClass[] {
    const problems: string[] = [];
    const sources = ids.alertSources as Record<string, string | undefined>;
    const attributes = ids.alertAttributes as Record<string, string | undefined>;
    const out: AcceptedClass[] = [];
    table.forEach((row, i) => {
        const at = `ACCEPTED_COVERAGE[${i}]`;
        if (!(row.source in ID_DESCRIPTIONS.alertSources))
            problems.push(
                `${at}.source: "${row.source}" is not an alert source; use one of ${Object.keys(ID_DESCRIPTIONS.alertSources).join(", ")}`,
            );
        if (typeof row.why !== "string" || row.why.trim() === "")
            problems.push(
                `${at}.why: is empty; say why these alerts are meant to reach no route (or two), e.g. why: "staging branches are not watched"`,
            );
        const tests =
            row.when === undefined ? [] : Array.isArray(row.when) ? (row.when as readonly AlertClassTest[]) : [row.when as AlertClassTest];
        tests.forEach((t, j) => {
            const where = `${at}.when${Array.isArray(row.when) ? `[${j}]` : ""}`;
            if (!(t.attribute in ID_DESCRIPTIONS.alertAttributes))
                problems.push(
                    `${where}.attribute: "${t.attribute}" is not an alert attribute; use one of ${Object.keys(ID_DESCRIPTIONS.alertAttributes).join(", ")}`,
                );
            const kinds = ["is", "isNot", "notSet", "anyOtherValue"].filter((k) => k in t);
            if (kinds.length !== 1)
                problems.push(
                    `${where}: give exactly one of is, isNot, notSet: true or anyOtherValue: true (got ${kinds.join(", ") || "none"})`,
                );
        });
        if (row.owner !== environment) return;
        const when = tests.map((t): ClassTest => {
            const subject = alertAttribute(attributes[t.attribute] ?? t.attribute);
            if ("is" in t) return { subject, is: t.is };
            if ("isNot" in t) return { subject, isNot: t.isNot };
            if ("notSet" in t) return { subject, notSet: true };
            return { subject, anyOtherValue: true };
        });
        out.push({ sourceId: sources[row.source] ?? row.source, when, why: row.why, declared: declaredText(row, tests) });
    });
    if (problems.length > 0) throw new CoverageDeclarationError(environment, problems);
    return out;
}

function declaredText(row: AcceptedCoverage, tests: readonly AlertClassTest[]): string {
    const words = tests.map((t) => {
        if ("is" in t) return `${t.attribute} is ${t.is}`;
        if ("isNot" in t) return `${t.attribute} is not ${t.isNot}`;
        if ("notSet" in t) return `${t.attribute} is not set`;
        return `${t.attribute} is any value no route names`;
    });
    return `${row.source}${words.length > 0 ? `, ${words.join(" and ")}` : ", every alert"}`;
}

/** Coverage of the routes one stack owns, as the route table defines them. */
export function stackCoverageInput(
    environment: Environment,
    ids: RouteIds,
    table: readonly AcceptedCoverage[] = ACCEPTED_COVERAGE,
): CoverageInput {
    const filled = withStandInIds(environment, ids);
    return {
        routes: routeDefinitions(environment, filled).map((d) => d.spec),
        sources: stackSources(filled),
        subjectNames: attributeNames(filled),
        accepted: acceptedFor(environment, filled, table),
    };
}
