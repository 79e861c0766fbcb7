// The route table: ownership, the ids each stack needs, and the payloads it renders (pure).
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";

import { withDefaults } from "../../providers/incident-io/model";
import { validateRoute } from "../../providers/incident-io/validate";
import { ENVIRONMENTS, ROUTES, idsRequiredBy, routeDefinitions, routeSpec, type RouteIds } from "../../stack/routes";
import { routeOptions } from "../../stack/alertRouting";
import { fakeId } from "../support/ids";
import { LIVE_IDS } from "../../dev/seed/workspace";

const ID = {
    AM: fakeId("alertmanager"),
    CHECKLY: fakeId("checkly"),
    EMAIL: fakeId("email"),
    GRAFANA: fakeId("grafana"),
    PLANETSCALE: fakeId("planetScale"),
    AXIOM: fakeId("axiom"),
    STATUSPAGE: fakeId("statusPage"),
    ONCALL: fakeId("onCall"),
    SEV: fakeId("severity"),
    BRANCH: fakeId("branch"),
};

const IDS: RouteIds = {
    alertSources: {
        alertmanager: ID.AM,
        checkly: ID.CHECKLY,
        email: ID.EMAIL,
        grafanaCloud: ID.GRAFANA,
        planetScale: ID.PLANETSCALE,
        axiom: ID.AXIOM,
        statusPageViews: ID.STATUSPAGE,
    },
    escalationPaths: { engineeringOnCall: ID.ONCALL },
    slackChannels: { alerts: "C_ALERTS" },
    alertAttributes: { severity: ID.SEV, branch: ID.BRANCH },
};

const slack = [
    { condition_groups: [], slack_targets: { binding: { array_value: [{ literal: "C_ALERTS" }] }, channel_visibility: "public" } },
];
const onCall = { auto_cancel_escalations: true, escalation_targets: [{ escalation_paths: { array_value: [{ literal: ID.ONCALL }] } }] };
const attributeIs = (attribute: string, value: string) => ({
    conditions: [
        { subject: `alert.attributes.${attribute}`, operation: "one_of", param_bindings: [{ array_value: [{ literal: value }] }] },
    ],
});

/** The table of issue #3, as payloads. */
const EXPECTED: Record<string, object> = {
    productionAlerts: {
        name: "Production Alerts",
        alert_sources: [
            { alert_source_id: ID.AM, condition_groups: [attributeIs(ID.SEV, "critical")] },
            { alert_source_id: ID.CHECKLY, condition_groups: [] },
            { alert_source_id: ID.EMAIL, condition_groups: [] },
            { alert_source_id: ID.GRAFANA, condition_groups: [] },
        ],
        escalation_config: onCall,
        channel_config: slack,
    },
    productionWarnings: {
        name: "Production Warnings",
        alert_sources: [{ alert_source_id: ID.AM, condition_groups: [attributeIs(ID.SEV, "warning")] }],
        channel_config: slack,
    },
    unroutedAlerts: {
        name: "Unrouted Alerts",
        alert_sources: [
            {
                alert_source_id: ID.AM,
                condition_groups: [
                    { conditions: [{ subject: `alert.attributes.${ID.SEV}`, operation: "is_not_set", param_bindings: [] }] },
                ],
            },
        ],
        channel_config: slack,
    },
    databaseAlerts: {
        name: "Database Alerts",
        alert_sources: [{ alert_source_id: ID.PLANETSCALE, condition_groups: [attributeIs(ID.BRANCH, "main")] }],
        escalation_config: onCall,
        channel_config: slack,
    },
    stagingNotifications: {
        name: "Staging Notifications",
        alert_sources: [
            { alert_source_id: ID.AM, condition_groups: [] },
            { alert_source_id: ID.CHECKLY, condition_groups: [] },
        ],
        channel_config: slack,
    },
    informational: {
        name: "Informational",
        alert_sources: [
            { alert_source_id: ID.AXIOM, condition_groups: [] },
            { alert_source_id: ID.STATUSPAGE, condition_groups: [] },
        ],
        channel_config: slack,
    },
};

describe("route table", () => {
    it("renders every route of the issue's table", () => {
        const all = ENVIRONMENTS.flatMap((environment) => routeDefinitions(environment, IDS));
        assert.deepEqual(Object.fromEntries(all.map((d) => [d.key, d.spec])), EXPECTED);
    });

    it("gives every route exactly one owner: staging owns Staging Notifications, production the other five", () => {
        assert.deepEqual(
            routeDefinitions("staging", IDS).map((d) => d.spec.name),
            ["Staging Notifications"],
        );
        assert.deepEqual(
            routeDefinitions("production", IDS).map((d) => d.spec.name),
            ["Production Alerts", "Production Warnings", "Unrouted Alerts", "Database Alerts", "Informational"],
        );
        const keys = ROUTES.map((r) => r.key);
        const names = ROUTES.map((r) => r.name);
        assert.equal(new Set(keys).size, keys.length);
        assert.equal(new Set(names).size, names.length);
    });

    it("passes the provider's own validation", () => {
        for (const environment of ENVIRONMENTS) {
            for (const { key, spec } of routeDefinitions(environment, IDS)) {
                assert.deepEqual(validateRoute(withDefaults(spec) as unknown as Record<string, unknown>), [], key);
            }
        }
    });

    it("asks each stack only for the ids its own routes use", () => {
        const names = (environment: (typeof ENVIRONMENTS)[number]) => idsRequiredBy(environment).map((r) => `${r.group}.${r.name}`);
        assert.deepEqual(names("staging"), ["alertSources.alertmanager", "alertSources.checkly", "slackChannels.alerts"]);
        assert.deepEqual(names("production"), [
            "alertSources.alertmanager",
            "alertSources.checkly",
            "alertSources.email",
            "alertSources.grafanaCloud",
            "alertSources.planetScale",
            "alertSources.axiom",
            "alertSources.statusPageViews",
            "escalationPaths.engineeringOnCall",
            "slackChannels.alerts",
            "alertAttributes.severity",
            "alertAttributes.branch",
        ]);
    });

    it("names the missing id if a route is built without it", () => {
        const row = ROUTES.find((r) => r.key === "databaseAlerts")!;
        assert.throws(
            () => routeSpec(row, { ...IDS, alertAttributes: {} }),
            /route "databaseAlerts" needs alert-routing:alertAttributes\.branch/,
        );
    });
});

describe("retiring a route (code first)", () => {
    it("unprotects a route marked retire, and keeps it live on removal when retire is keep", () => {
        assert.deepEqual(routeOptions(true, undefined), { protect: true, retainOnDelete: false });
        assert.deepEqual(routeOptions(true, "delete"), { protect: false, retainOnDelete: false });
        assert.deepEqual(routeOptions(true, "keep"), { protect: false, retainOnDelete: true });
        assert.deepEqual(routeOptions(false, undefined), { protect: false, retainOnDelete: false });
    });

    it("today every production route is protected (none is being retired)", () => {
        for (const def of routeDefinitions("production", LIVE_IDS.production)) {
            assert.deepEqual(routeOptions(true, def.retire), { protect: true, retainOnDelete: false }, def.key);
        }
    });
});
