// Routing coverage (stack/coverage/): which alerts each route receives, gaps, overlaps, unused
// sources, declarations; named tables per operation and per way conditions combine.
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";

import type { AlertSourceFilter, Condition, ConditionGroup } from "../../providers/incident-io";
import { OPERATION_ALIASES } from "../../providers/incident-io/model";
import { analyseCoverage, findingLine, undeclared, type CoverageInput, type CoverageRoute } from "../../stack/coverage/analysis";
import { meaningOf } from "../../stack/coverage/conditions";
import { CoverageDeclarationError, acceptedFor, stackCoverageInput } from "../../stack/coverage/fromStack";
import { coverageText } from "../../stack/coverage/report";
import type { AcceptedCoverage, RouteIds } from "../../stack/routes";
import { LIVE_IDS } from "../../dev/seed/workspace";

const SEV = "alert.attributes.severity";
const ENV = "alert.attributes.env";
const TITLE = "alert.title";
const A = "SOURCE-A";
const B = "SOURCE-B";

const values = (...literals: string[]) => [{ array_value: literals.map((literal) => ({ literal })) }];
const one = (literal: string) => [{ value: { literal } }];
const when = (subject: string, operation: string, param_bindings: Condition["param_bindings"] = []): Condition => ({
    subject,
    operation,
    param_bindings,
});
const group = (...conditions: Condition[]): ConditionGroup => ({ conditions });
const from = (alert_source_id: string, ...condition_groups: ConditionGroup[]): AlertSourceFilter => ({ alert_source_id, condition_groups });
const route = (name: string, alert_sources: AlertSourceFilter[], extra: Partial<CoverageRoute> = {}): CoverageRoute => ({
    name,
    alert_sources,
    ...extra,
});

function analyse(routes: CoverageRoute[], extra: Partial<CoverageInput> = {}) {
    return analyseCoverage({
        routes,
        sources: [{ id: A, name: "a" }],
        subjectNames: { [SEV]: "severity", [ENV]: "env" },
        ...extra,
    });
}

/** The table of one source as [alerts, routes, finding] rows; a route not evaluated here ends in "?". */
function rows(routes: CoverageRoute[], extra: Partial<CoverageInput> = {}, source = "a"): string[][] {
    const report = analyse(routes, extra);
    return report.sources
        .find((s) => s.source.name === source)!
        .rows.map((r) => [r.alerts, [...r.routes, ...r.notEvaluated.map((n) => `${n.route}?`)].join(", "), r.finding ?? ""]);
}

describe("coverage: each operation splits a source's alerts into classes", () => {
    const cases: Array<{ name: string; condition: Condition; expected: string[][] }> = [
        {
            name: "one_of: each named value, and any other value or not set together when no route tells them apart",
            condition: when(SEV, "one_of", values("critical", "warning")),
            expected: [
                ["severity is critical or warning", "R", ""],
                ["severity is not critical or warning (any other value, or not set)", "", "gap"],
            ],
        },
        {
            name: "is: one value, the same test as one_of",
            condition: when(SEV, "is", one("critical")),
            expected: [
                ["severity is critical", "R", ""],
                ["severity is not critical (any other value, or not set)", "", "gap"],
            ],
        },
        {
            name: "not_one_of: every other value; an alert without the field is not evaluated here",
            condition: when(SEV, "not_one_of", values("info")),
            expected: [
                ["severity is info", "", "gap"],
                ["severity is any value but info", "R", ""],
                ["severity is not set", "R?", "not evaluated"],
            ],
        },
        {
            name: "is_not: the one-value negation",
            condition: when(SEV, "is_not", one("info")),
            expected: [
                ["severity is info", "", "gap"],
                ["severity is any value but info", "R", ""],
                ["severity is not set", "R?", "not evaluated"],
            ],
        },
        {
            name: "is_set",
            condition: when(SEV, "is_set"),
            expected: [
                ["severity is set", "R", ""],
                ["severity is not set", "", "gap"],
            ],
        },
        {
            name: "is_not_set",
            condition: when(SEV, "is_not_set"),
            expected: [
                ["severity is set", "", "gap"],
                ["severity is not set", "R", ""],
            ],
        },
        {
            name: "is_blank: blank is not set",
            condition: when(SEV, "is_blank"),
            expected: [
                ["severity is set", "", "gap"],
                ["severity is not set", "R", ""],
            ],
        },
        {
            name: "is_not_blank: the same as is_set",
            condition: when(SEV, "is_not_blank"),
            expected: [
                ["severity is set", "R", ""],
                ["severity is not set", "", "gap"],
            ],
        },
        {
            name: "contains_one_of, the server's name for one_of on text attributes: read as one_of",
            condition: when(SEV, "contains_one_of", values("critical")),
            expected: [
                ["severity is critical", "R", ""],
                ["severity is not critical (any other value, or not set)", "", "gap"],
            ],
        },
        {
            name: "an operation whose meaning is not certain (contains): not evaluated, never guessed",
            condition: when(SEV, "contains", one("crit")),
            expected: [["every alert", "R?", "not evaluated"]],
        },
        {
            name: "an unknown operation name: not evaluated",
            condition: when(SEV, "sounds_like", one("critical")),
            expected: [["every alert", "R?", "not evaluated"]],
        },
        {
            name: "a value from a reference, known only when the alert arrives: not evaluated",
            condition: when(SEV, "one_of", [{ array_value: [{ reference: "alert.attributes.env" }] }]),
            expected: [["every alert", "R?", "not evaluated"]],
        },
        {
            name: "a subject that is not a field of the alert (an expression's result): not evaluated",
            condition: when('expressions["tier"]', "one_of", values("1")),
            expected: [["every alert", "R?", "not evaluated"]],
        },
    ];
    for (const c of cases) {
        it(c.name, () => assert.deepEqual(rows([route("R", [from(A, group(c.condition))])]), c.expected));
    }

    it("the server's alias names come from the provider's model, so a new alias is read too", () => {
        for (const [ours, answered] of Object.entries(OPERATION_ALIASES)) {
            assert.equal(meaningOf(answered), meaningOf(ours), `${answered} reads as ${ours}`);
        }
        assert.equal(meaningOf("contains_one_of"), "one_of");
        assert.equal(meaningOf("name_contains"), undefined, "contains is not certain, nor is its alias");
    });
});

describe("coverage: how conditions combine", () => {
    const cases: Array<{ name: string; routes: CoverageRoute[]; expected: string[][] }> = [
        {
            name: "groups are OR: either group's alerts reach the route",
            routes: [route("R", [from(A, group(when(SEV, "is", one("critical"))), group(when(SEV, "is", one("warning"))))])],
            expected: [
                ["severity is critical or warning", "R", ""],
                ["severity is not critical or warning (any other value, or not set)", "", "gap"],
            ],
        },
        {
            name: "conditions in a group are AND: only alerts that pass both",
            routes: [route("R", [from(A, group(when(SEV, "is", one("critical")), when(ENV, "is", one("prod"))))])],
            expected: [
                ["severity is critical and env is prod", "R", ""],
                ["severity is critical and env is not prod (any other value, or not set)", "", "gap"],
                ["severity is not critical (any other value, or not set)", "", "gap"],
            ],
        },
        {
            name: "a certain false beats a condition not evaluated in the same group",
            routes: [route("R", [from(A, group(when(SEV, "is", one("critical")), when(TITLE, "contains", one("db"))))])],
            expected: [
                ["severity is critical", "R?", "not evaluated"],
                ["severity is not critical (any other value, or not set)", "", "gap"],
            ],
        },
        {
            name: "a certain true in one group beats a group not evaluated",
            routes: [route("R", [from(A, group(when(SEV, "is", one("critical"))), group(when(TITLE, "contains", one("db"))))])],
            expected: [
                ["severity is critical", "R", ""],
                ["severity is not critical (any other value, or not set)", "R?", "not evaluated"],
            ],
        },
        {
            name: "route-level condition_groups AND the source entry's: both must accept",
            routes: [
                route("R", [from(A, group(when(ENV, "is", one("prod"))))], {
                    condition_groups: [group(when(SEV, "is", one("critical")))],
                }),
            ],
            expected: [
                ["env is prod and severity is critical", "R", ""],
                ["env is prod and severity is not critical (any other value, or not set)", "", "gap"],
                ["env is not prod (any other value, or not set)", "", "gap"],
            ],
        },
        {
            name: "route-level conditions apply to every source of the route",
            routes: [route("R", [from(A), from(B)], { condition_groups: [group(when(SEV, "is", one("critical")))] })],
            expected: [
                ["severity is critical", "R", ""],
                ["severity is not critical (any other value, or not set)", "", "gap"],
            ],
        },
        {
            name: "a source entry's conditions apply to that source only",
            routes: [route("R", [from(A), from(B, group(when(SEV, "is", one("critical"))))])],
            expected: [["every alert", "R", ""]],
        },
        {
            name: "two routes for the same alerts: an overlap",
            routes: [route("R", [from(A)]), route("S", [from(A, group(when(SEV, "is_set")))])],
            expected: [
                ["severity is set", "R, S", "overlap"],
                ["severity is not set", "R", ""],
            ],
        },
        {
            name: "a disabled route receives nothing, and its conditions make no classes",
            routes: [route("R", [from(A, group(when(SEV, "is", one("critical"))))]), route("Off", [from(A)], { enabled: false })],
            expected: [
                ["severity is critical", "R", ""],
                ["severity is not critical (any other value, or not set)", "", "gap"],
            ],
        },
        {
            name: "a route that does not list the source receives none of its alerts",
            routes: [route("R", [from(A)]), route("Elsewhere", [from(B)])],
            expected: [["every alert", "R", ""]],
        },
    ];
    for (const c of cases) it(c.name, () => assert.deepEqual(rows(c.routes), c.expected));

    it("the disabled route is listed as such", () => {
        const report = analyse([route("R", [from(A)]), route("Off", [from(A)], { enabled: false })]);
        assert.deepEqual(report.sources[0].disabled, ["Off"]);
        assert.deepEqual(report.findings, []);
    });
});

describe("coverage: findings", () => {
    it("gaps, overlaps and unused sources, each line naming the source, the class in plain words and the routes", () => {
        const report = analyseCoverage({
            routes: [
                route("Pages", [from(A, group(when(SEV, "one_of", values("critical"))))]),
                route("Warnings", [from(A, group(when(SEV, "one_of", values("warning", "critical"))))]),
                route("Off", [from(B)], { enabled: false }),
            ],
            sources: [
                { id: A, name: "alertmanager" },
                { id: B, name: "checkly" },
                { id: "SOURCE-C", name: "email" },
            ],
            subjectNames: { [SEV]: "severity" },
        });
        assert.deepEqual(report.findings.map(findingLine), [
            "overlap: alertmanager alerts where severity is critical reach 2 routes: Pages, Warnings",
            "gap: alertmanager alerts where severity is not critical or warning (any other value, or not set) reach no route",
            "unused source: no enabled route takes checkly's alerts",
            "unused source: no enabled route takes email's alerts",
        ]);
        assert.equal(undeclared(report.findings).length, 4);
    });

    it("a class not evaluated names the routes that certainly receive it and those that may", () => {
        const report = analyse([route("R", [from(A)]), route("Maybe", [from(A, group(when(TITLE, "contains", one("db"))))])]);
        assert.deepEqual(report.findings.map(findingLine), [
            'not evaluated here: every a alert: received by R; maybe by Maybe (operation "contains" is not one this analysis evaluates)',
        ]);
        assert.deepEqual(undeclared(report.findings), [], "a class not evaluated is not a gap or overlap");
    });

    it("a class not evaluated names only the conditions that left it open", () => {
        const report = analyse([
            route("Info", [from(A, group(when(SEV, "is_not", one("critical")), when(ENV, "is", one("prod"))))]),
            route("Db", [from(A, group(when(ENV, "is", one("staging")), when(TITLE, "contains", one("db"))))]),
        ]);
        assert.deepEqual(report.findings.filter((f) => f.kind === "not evaluated").map(findingLine), [
            'not evaluated here: a alerts where env is staging: maybe by Db (operation "contains" is not one this analysis evaluates)',
            'not evaluated here: a alerts where severity is not set and env is prod: maybe by Info (whether "is_not" holds when severity is not set is not documented)',
        ]);
    });

    it("a declared gap or overlap is shown as accepted, with its reason, and is not undeclared", () => {
        const report = analyse([route("R", [from(A, group(when(SEV, "is", one("critical"))))])], {
            accepted: [
                {
                    sourceId: A,
                    when: [{ subject: SEV, isNot: "critical" }],
                    why: "only pages matter here",
                    declared: "a, severity is not critical",
                },
            ],
        });
        assert.deepEqual(report.findings.map(findingLine), [
            "accepted gap: a alerts where severity is not critical (any other value, or not set) reach no route (accepted: only pages matter here)",
        ]);
        assert.deepEqual(undeclared(report.findings), []);
    });

    it("a declaration covers only the classes it names: the rest stays a finding", () => {
        const report = analyse([route("R", [from(A, group(when(SEV, "is", one("critical"))))])], {
            accepted: [
                {
                    sourceId: A,
                    when: [{ subject: SEV, notSet: true }],
                    why: "unlabelled alerts are noise",
                    declared: "a, severity is not set",
                },
            ],
        });
        assert.deepEqual(report.findings.map(findingLine), [
            "gap: a alerts where severity is any value but critical reach no route",
            "accepted gap: a alerts where severity is not set reach no route (accepted: unlabelled alerts are noise)",
        ]);
        assert.equal(undeclared(report.findings).length, 1);
    });

    it("a declaration that matches no gap or overlap is reported, so it does not outlive its reason", () => {
        const report = analyse([route("R", [from(A)])], {
            accepted: [
                {
                    sourceId: A,
                    when: [{ subject: SEV, anyOtherValue: true }],
                    why: "was a gap",
                    declared: "a, severity is any value no route names",
                },
            ],
        });
        assert.deepEqual(report.findings.map(findingLine), [
            "accepted but no longer a gap or overlap: a, severity is any value no route names: remove the declaration from the route table's accepted list",
        ]);
    });

    it("a source split into more classes than the analysis enumerates is reported as not evaluated", () => {
        const routes = ["a", "b", "c"].map((v) => route(v, [from(A, group(when(SEV, "is", one(v)), when(ENV, "is", one(v))))]));
        const report = analyse(routes, { maxClasses: 5 });
        assert.equal(report.findings.length, 1);
        assert.equal(report.findings[0].kind, "not evaluated");
        assert.match(findingLine(report.findings[0]), /more than 5 classes/);
        assert.equal(analyse(routes).findings.filter((f) => f.kind === "not evaluated").length, 0, "the default limit enumerates them");
    });

    it("names and values from live routes are printed with control characters escaped", () => {
        const report = analyse([route("Evil\u001b[2J", [from(A, group(when(SEV, "is", one("x\ny"))))]), route("Twin", [from(A)])]);
        const text = coverageText(report, "t") + report.findings.map(findingLine).join("\n");
        // eslint-disable-next-line no-control-regex -- matching control characters is the point
        assert.ok(!/[\u0000-\u0009\u000b-\u001f]/.test(text), "no control character other than the newlines between lines");
        assert.match(text, /Evil\\u001b\[2J/);
        assert.match(text, /"x\\ny"/);
    });
});

describe("coverage: the route table's declarations", () => {
    const ids = LIVE_IDS.production as RouteIds;
    it("resolve config keys to ids, for the stack that owns them only", () => {
        const table: AcceptedCoverage[] = [
            { owner: "production", source: "planetScale", when: { attribute: "branch", isNot: "main" }, why: "branches are previews" },
            { owner: "staging", source: "checkly", why: "staging only" },
        ];
        assert.deepEqual(acceptedFor("production", ids, table), [
            {
                sourceId: LIVE_IDS.production.alertSources.planetScale,
                when: [{ subject: `alert.attributes.${LIVE_IDS.production.alertAttributes.branch}`, isNot: "main" }],
                why: "branches are previews",
                declared: "planetScale, branch is not main",
            },
        ]);
    });

    it("a declaration without a reason, or with an unknown source or attribute, stops with each problem named", () => {
        const table = [
            { owner: "production", source: "pagerduty", why: "x" },
            { owner: "production", source: "planetScale", when: [{ attribute: "branch", is: "main", notSet: true }], why: " " },
        ] as unknown as AcceptedCoverage[];
        assert.throws(
            () => acceptedFor("production", ids, table),
            (error: unknown) => {
                assert.ok(error instanceof CoverageDeclarationError);
                assert.deepEqual(
                    error.problems.map((p) => p.split(":")[0]),
                    ["ACCEPTED_COVERAGE[0].source", "ACCEPTED_COVERAGE[1].why", "ACCEPTED_COVERAGE[1].when[0]"],
                );
                return true;
            },
        );
    });

    it("the production table with the PlanetScale gap declared: accepted, the Alertmanager gap still open", () => {
        const table: AcceptedCoverage[] = [
            {
                owner: "production",
                source: "planetScale",
                when: { attribute: "branch", isNot: "main" },
                why: "preview branches page nobody",
            },
        ];
        const report = analyseCoverage(stackCoverageInput("production", ids, table));
        assert.deepEqual(undeclared(report.findings).map(findingLine), [
            "gap: alertmanager alerts where severity is any value but critical or warning reach no route",
        ]);
        assert.ok(
            report.findings
                .map(findingLine)
                .includes(
                    "accepted gap: planetScale alerts where branch is not main (any other value, or not set) reach no route (accepted: preview branches page nobody)",
                ),
        );
    });
});

describe("coverage: the company's six routes (stack/routes.ts, with the seed's ids)", () => {
    it("production: Alertmanager severities other than critical/warning and PlanetScale branches other than main reach no one", () => {
        const report = analyseCoverage(stackCoverageInput("production", LIVE_IDS.production as RouteIds, []));
        assert.equal(
            coverageText(report, "production"),
            [
                "production",
                "",
                "source           alerts                                            routes               finding",
                "---------------  ------------------------------------------------  -------------------  -------",
                "alertmanager     severity is critical                              Production Alerts",
                "alertmanager     severity is warning                               Production Warnings",
                "alertmanager     severity is any value but critical or warning     none                 gap",
                "alertmanager     severity is not set                               Unrouted Alerts",
                "checkly          every alert                                       Production Alerts",
                "email            every alert                                       Production Alerts",
                "grafanaCloud     every alert                                       Production Alerts",
                "planetScale      branch is main                                    Database Alerts",
                "planetScale      branch is not main (any other value, or not set)  none                 gap",
                "axiom            every alert                                       Informational",
                "statusPageViews  every alert                                       Informational",
                "",
                "findings: 2 gaps, 0 overlaps, 0 unused sources, 0 classes not evaluated, 0 stale declarations (0 accepted), 2 not declared",
                "  gap: alertmanager alerts where severity is any value but critical or warning reach no route",
                "  gap: planetScale alerts where branch is not main (any other value, or not set) reach no route",
                "",
            ].join("\n"),
        );
    });

    it("staging: every alert of both sources reaches Staging Notifications, once", () => {
        const report = analyseCoverage(stackCoverageInput("staging", LIVE_IDS.staging as RouteIds, []));
        assert.equal(
            coverageText(report, "staging"),
            [
                "staging",
                "",
                "source        alerts       routes                 finding",
                "------------  -----------  ---------------------  -------",
                "alertmanager  every alert  Staging Notifications",
                "checkly       every alert  Staging Notifications",
                "",
                "findings: 0 gaps, 0 overlaps, 0 unused sources, 0 classes not evaluated, 0 stale declarations (0 accepted)",
                "",
            ].join("\n"),
        );
    });

    it("without the ids the config has not set yet, the same classes (ids stand in as their config keys)", () => {
        const empty = { alertSources: {}, escalationPaths: {}, slackChannels: {}, alertAttributes: {} } as RouteIds;
        const withIds = analyseCoverage(stackCoverageInput("production", LIVE_IDS.production as RouteIds, []));
        const without = analyseCoverage(stackCoverageInput("production", empty, []));
        assert.deepEqual(without.findings.map(findingLine), withIds.findings.map(findingLine));
    });
});
