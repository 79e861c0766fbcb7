// Route tables for the coverage benchmark (bench/coverage.ts). Two shapes of N routes:
//  - "provider": the provider benchmark's own routes (bench/workload.ts): few teams, many overlaps,
//    `contains`/`does_not_contain` conditions the analysis does not evaluate;
//  - "distinct": one team per route over ten sources, as a large company's table grows: AND within
//    a group, a second OR group on every fifth route, route-level conditions, a negation, disabled
//    routes and repeated teams (overlaps).
import type { AlertRouteSpec } from "../providers/incident-io";
import type { CoverageInput } from "../stack/coverage/analysis";
import { SOURCES, benchId, routeInputs } from "./workload";

const SEVERITY = `alert.attributes.${benchId("SEVATTR")}`;
const TEAM = `alert.attributes.${benchId("TEAMATTR")}`;
const ENV = `alert.attributes.${benchId("ENVATTR")}`;
const DISTINCT_SOURCES = Array.from({ length: 10 }, (_, k) => benchId(`CVSRC${k}`));

export type CoverageWorkload = "provider" | "distinct";

export function coverageInput(workload: CoverageWorkload, n: number): CoverageInput {
    const subjectNames = { [SEVERITY]: "severity", [TEAM]: "team", [ENV]: "env" };
    if (workload === "provider") {
        return {
            routes: Array.from({ length: n }, (_, i) => routeInputs(i, 0) as unknown as AlertRouteSpec),
            sources: SOURCES.map((id, k) => ({ id, name: `source${k}` })),
            subjectNames,
        };
    }
    return {
        routes: Array.from({ length: n }, (_, i) => distinctRoute(i)),
        sources: DISTINCT_SOURCES.map((id, k) => ({ id, name: `source${k}` })),
        subjectNames,
    };
}

const values = (...literals: string[]) => [{ array_value: literals.map((literal) => ({ literal })) }];

function distinctRoute(i: number): AlertRouteSpec {
    const team = `team-${i % 17 === 16 && i >= 10 ? i - 10 : i}`; // every 17th repeats the team of a route on its source: an overlap
    const severities = i % 3 === 0 ? ["critical"] : ["critical", "warning"];
    const groups = [
        {
            conditions: [
                { subject: TEAM, operation: "one_of", param_bindings: values(team) },
                { subject: SEVERITY, operation: i % 9 === 4 ? "not_one_of" : "one_of", param_bindings: values(...severities) },
            ],
        },
        ...(i % 5 === 0
            ? [{ conditions: [{ subject: TEAM, operation: "is", param_bindings: [{ value: { literal: `${team}-oncall` } }] }] }]
            : []),
        // The team's alerts whatever their severity when the title says so: not evaluated here, for this team only.
        ...(i % 11 === 0
            ? [
                  {
                      conditions: [
                          { subject: TEAM, operation: "one_of", param_bindings: values(team) },
                          { subject: "alert.title", operation: "contains", param_bindings: [{ value: { literal: "database" } }] },
                      ],
                  },
              ]
            : []),
    ];
    return {
        name: `Team ${String(i).padStart(3, "0")} alerts`,
        enabled: i % 13 !== 12,
        alert_sources: [{ alert_source_id: DISTINCT_SOURCES[i % DISTINCT_SOURCES.length], condition_groups: groups }],
        condition_groups: i % 7 === 0 ? [{ conditions: [{ subject: ENV, operation: "is_set", param_bindings: [] }] }] : [],
    } as unknown as AlertRouteSpec;
}
