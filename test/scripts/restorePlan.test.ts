// The pure part of restore-routes: what it plans for each route, the question's summary line, the
// adoption lines, and shell quoting of every word it prints into a command.
import * as assert from "node:assert/strict";
import { describe, test } from "node:test";

import type { AlertRouteResponse } from "../../providers/incident-io";
import { withDefaults } from "../../providers/incident-io/model";
import type { ImportedRoute } from "../../scripts/backups";
import { adoptionLines, planRoute, selectRoutes, summaryLine, type PlannedRoute } from "../../scripts/restore";
import { shellQuoted, shellWord } from "../../scripts/shellWord";

const ID = "01J2R0VTE00000000000000001";
const spec = withDefaults({
    name: "Team 001 alerts",
    alert_sources: [{ alert_source_id: "01J0AX10M00000000000000000", condition_groups: [] }],
    channel_config: [],
});
const backup = (over: Partial<ImportedRoute> = {}): ImportedRoute => ({ key: "team001Alerts", id: ID, spec, source: "f.json", ...over });
const live = (over: Record<string, unknown> = {}): AlertRouteResponse =>
    ({ ...spec, id: ID, version: 4, ...over }) as unknown as AlertRouteResponse;

describe("planRoute", () => {
    const cases: Array<
        [
            string,
            ImportedRoute,
            AlertRouteResponse | undefined,
            { includeManaged: boolean; namesakes?: Array<{ id: string; name: string }> },
            string,
            string[]?,
        ]
    > = [
        ["the same route is skipped", backup(), live(), { includeManaged: false }, "same"],
        [
            "a changed route is overwritten, its fields named",
            backup(),
            live({ enabled: false }),
            { includeManaged: false },
            "overwrite",
            ["enabled"],
        ],
        ["a gone route is created", backup(), undefined, { includeManaged: false }, "create"],
        [
            "a gone route with a live namesake is not created twice",
            backup(),
            undefined,
            { includeManaged: false, namesakes: [{ id: "01J9", name: "Team 001 alerts" }] },
            "blocked",
        ],
        [
            // The folder keeps the old file of a managed route the stack re-created under a new id (backup-routes keeps
            // files of routes no longer live): skipped as the stack's, not a failure that makes every later run exit 1.
            "a gone route a stack owns, re-created by the stack under a new id, is left to the stack",
            backup({ owner: "staging" }),
            undefined,
            { includeManaged: false, namesakes: [{ id: "01J9", name: "Team 001 alerts" }] },
            "managed",
        ],
        [
            "--include-managed: a gone managed route with a live namesake is not created twice",
            backup({ owner: "staging" }),
            undefined,
            { includeManaged: true, namesakes: [{ id: "01J9", name: "Team 001 alerts" }] },
            "blocked",
        ],
        [
            "a route a stack owns by name is left to the stack",
            backup({ owner: "production" }),
            live({ enabled: false }),
            { includeManaged: false },
            "managed",
        ],
        [
            "a route claimed in a stack export is left to the stack",
            backup({ claimedBy: "staging" }),
            undefined,
            { includeManaged: false },
            "managed",
        ],
        [
            "--include-managed restores it",
            backup({ owner: "production" }),
            live({ enabled: false }),
            { includeManaged: true },
            "overwrite",
            ["enabled"],
        ],
        ["a managed route that is the same is just the same", backup({ owner: "production" }), live(), { includeManaged: false }, "same"],
    ];
    for (const [name, route, answer, opts, action, changed] of cases) {
        test(name, () => {
            const plan = planRoute(route, answer, opts);
            assert.equal(plan.action, action);
            if (changed) assert.deepEqual(plan.changed, changed);
        });
    }
});

test("a gone route with a live namesake: the problem names the old backup file to remove, quoted to paste", () => {
    // Walked: restore-routes re-created "Team 003 alerts" under a new id; backup-routes keeps the old id's file, so
    // every later run from that folder stopped at it (exit 1) with no way out but deleting the live route.
    const plan = planRoute(backup({ source: "backups/incident.io/it's/01J2R0VTE00000000000000001.json" }), undefined, {
        includeManaged: false,
        namesakes: [{ id: "01M8ZKJ9XW98XCDQ9DSCPKMNW7", name: "Team 001 alerts" }],
    });
    assert.equal(plan.action, "blocked");
    assert.ok(
        plan.problem!.includes(
            "If 01M8ZKJ9XW98XCDQ9DSCPKMNW7 is its re-creation, nothing is left to restore: remove the old backup file (rm 'backups/incident.io/it'\\''s/01J2R0VTE00000000000000001.json';",
        ),
        plan.problem,
    );
    // A route read from a stack export is one resource of a file holding others: no file to remove is named.
    const fromExport = planRoute(backup({ source: "backups/staging.export.json urn:pulumi:staging::alert-routing::x" }), undefined, {
        includeManaged: false,
        namesakes: [{ id: "01M8ZKJ9XW98XCDQ9DSCPKMNW7", name: "Team 001 alerts" }],
    });
    assert.ok(!fromExport.problem!.includes("rm "), fromExport.problem);
});

test("summaryLine names what it will write", () => {
    const p = (action: PlannedRoute["action"]) => ({ action }) as PlannedRoute;
    assert.equal(
        summaryLine([p("overwrite"), p("overwrite"), p("create"), p("same"), p("managed")]),
        "Restore 3 routes: overwrite 2, create 1",
    );
    assert.equal(summaryLine([p("create")]), "Restore 1 route: create 1");
});

test("selectRoutes matches id, name or key and names what matched nothing", () => {
    const routes = [backup(), backup({ id: "01J2R0VTE00000000000000002", key: "other", spec: { ...spec, name: "Other" } })];
    assert.deepEqual(selectRoutes(routes, ["Other", ID, "nope"]).unmatched, ["nope"]);
    assert.equal(selectRoutes(routes, ["team001Alerts"]).selected.length, 1);
    assert.equal(selectRoutes(routes, []).selected.length, 2);
});

test("adoptionLines: only for a re-created route a stack owns, quoted to paste", () => {
    const plan = planRoute(backup({ owner: "staging", key: "stagingNotifications" }), undefined, { includeManaged: true });
    const lines = adoptionLines([
        { plan, result: "re-created", newId: "01M8Y9DE165ZN5SWDAVKEJ8PGW" },
        { plan: planRoute(backup(), undefined, { includeManaged: false }), result: "re-created", newId: "01M8Y9DE165ZN5SWDAVKEJ8PGX" },
    ]);
    assert.deepEqual(lines, [
        "pulumi config set --stack staging --path 'alert-routing:adopt.stagingNotifications' 01M8Y9DE165ZN5SWDAVKEJ8PGW",
    ]);
});

describe("shellWord", () => {
    const cases: Array<[string, string]> = [
        ["production", "production"],
        ["backups/incident.io", "backups/incident.io"],
        ["my backups", "'my backups'"],
        ["it's", "'it'\\''s'"],
        ["$(rm -rf /)", "'$(rm -rf /)'"],
        ["a\nb", "$'a\\x0ab'"],
        ["", "''"],
    ];
    for (const [value, quoted] of cases) test(JSON.stringify(value), () => assert.equal(shellWord(value), quoted));
    test("shellQuoted always quotes", () => assert.equal(shellQuoted("alert-routing:adopt.x"), "'alert-routing:adopt.x'"));
});
