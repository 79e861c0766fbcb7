import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { canonical, changedFields, fromResponse, sameRoute, stableJson, toPayload, withDefaults } from "../providers/incident-io/model";
import type { AlertRouteResponse, AlertRouteSpec } from "../providers/incident-io/types";
import { productionAlerts, SEVERITY_ATTRIBUTE } from "./fixtures/routes";

/** What incident.io answers for a payload: labels, subject/operation objects, `returns`,
 * server-filled defaults, expressions in its own order, ids and timestamps. */
function asResponse(spec: AlertRouteSpec): AlertRouteResponse {
    // Binding values (under `value` / `array_value`) gain a label; subject and operation become objects.
    const label = (v: any, parent?: string): any =>
        Array.isArray(v)
            ? v.map((x) => label(x, parent))
            : v && typeof v === "object"
              ? Object.fromEntries(
                    Object.entries(v)
                        .map(([k, x]) =>
                            k === "subject" ? [k, { label: "Severity", reference: x }] : k === "operation" ? [k, { label: "One of", value: x }] : [k, label(x, k)],
                        )
                        .concat(parent === "value" || parent === "array_value" ? [["label", "Shown"]] : []),
                )
              : v;
    const r = label(JSON.parse(JSON.stringify(spec)));
    r.expressions = r.expressions
        .map((e: any) => ({ ...e, returns: { type: "string", array: false }, operations: e.operations.map((o: any) => ({ ...o, returns: { type: "string", array: false } })) }))
        .reverse();
    r.incident_config.auto_relate_grouped_alerts = false;
    r.owning_team_ids = [];
    return { id: "01JROUTE000000000000000000", version: 3, created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-02T00:00:00Z", ...r, incident_template: { ...r.incident_template } };
}

describe("model", () => {
    test("a route and incident.io's answer for it are the same route", () => {
        const spec = productionAlerts();
        const response = asResponse(spec);
        assert.notEqual(stableJson(response), stableJson(spec)); // the shapes really differ
        assert.ok(sameRoute(spec, fromResponse(response)));
        assert.deepEqual(changedFields(spec, fromResponse(response)), []);
    });

    test("fromResponse gives the payload shape: subject and operation as strings, no labels", () => {
        const payload = fromResponse(asResponse(productionAlerts()));
        const condition = payload.alert_sources[0].condition_groups[0].conditions[0];
        assert.equal(condition.subject, `alert.attributes.${SEVERITY_ATTRIBUTE}`);
        assert.equal(condition.operation, "one_of");
        assert.deepEqual(condition.param_bindings, [{ array_value: [{ literal: "critical" }] }]);
        assert.equal("id" in payload, false);
        assert.equal("version" in payload, false);
        assert.equal("returns" in payload.expressions[0], false);
        assert.equal(payload.expressions[0].label !== undefined, true, "an expression's label is a payload field and stays");
    });

    const cases: Array<[string, (s: AlertRouteSpec) => AlertRouteSpec, string[]]> = [
        ["name", (s) => ({ ...s, name: "Renamed" }), ["name"]],
        ["enabled", (s) => ({ ...s, enabled: false }), ["enabled"]],
        ["severity value", (s) => { const c = structuredClone(s); c.alert_sources[0].condition_groups[0].conditions[0].param_bindings = [{ array_value: [{ literal: "warning" }] }]; return c; }, ["alert_sources"]],
        ["source order", (s) => ({ ...s, alert_sources: [...s.alert_sources].reverse() }), ["alert_sources"]],
        ["escalation dropped", (s) => ({ ...s, escalation_config: { auto_cancel_escalations: true, escalation_targets: [] } }), ["escalation_config"]],
        ["expression label", (s) => { const c = structuredClone(s); c.expressions[1].label = "Zone"; return c; }, ["expressions"]],
        ["expression order only", (s) => ({ ...s, expressions: [...s.expressions].reverse() }), []],
        ["key order only", (s) => JSON.parse(JSON.stringify(s, Object.keys(s).sort())) && Object.fromEntries(Object.entries(s).reverse()) as AlertRouteSpec, []],
        ["owning teams order", (s) => ({ ...s, owning_team_ids: ["B", "A"] }), ["owning_team_ids"]],
        ["server default auto_relate_grouped_alerts=false", (s) => ({ ...s, incident_config: { ...s.incident_config, auto_relate_grouped_alerts: false } }), []],
        ["auto_relate_grouped_alerts=true", (s) => ({ ...s, incident_config: { ...s.incident_config, auto_relate_grouped_alerts: true } }), ["incident_config"]],
        ["empty owning_team_ids", (s) => ({ ...s, owning_team_ids: [] }), []],
        ["message_template null", (s) => ({ ...s, message_template: null as any }), []],
    ];
    for (const [what, change, expected] of cases) {
        test(`changedFields: ${what}`, () => {
            assert.deepEqual(changedFields(productionAlerts(), change(productionAlerts())), expected);
        });
    }

    test("owning_team_ids compare as a set", () => {
        assert.ok(sameRoute(productionAlerts({ owning_team_ids: ["B", "A"] }), productionAlerts({ owning_team_ids: ["A", "B"] })));
    });

    test("canonical is idempotent and a fixed point for responses", () => {
        const once = canonical(fromResponse(asResponse(productionAlerts())));
        assert.deepEqual(canonical(once), once);
        assert.equal(stableJson(canonical(productionAlerts())), stableJson(once));
    });

    test("withDefaults fills the fields a user rarely sets, and keeps what is given", () => {
        const route = withDefaults({ name: "X", alert_sources: [], enabled: false });
        assert.equal(route.enabled, false);
        assert.equal(route.is_private, false);
        assert.deepEqual(route.condition_groups, []);
        assert.deepEqual(route.escalation_config, { auto_cancel_escalations: true, escalation_targets: [] });
        assert.equal(route.incident_config.enabled, false);
        assert.deepEqual(route.incident_template.name, { autogenerated: true });
    });

    test("toPayload turns a pasted API answer into something check accepts", () => {
        const pasted = toPayload(asResponse(productionAlerts()) as unknown as Record<string, unknown>);
        const condition = (pasted as any).alert_sources[0].condition_groups[0].conditions[0];
        assert.equal(condition.subject, `alert.attributes.${SEVERITY_ATTRIBUTE}`);
        assert.equal(condition.operation, "one_of");
    });
});
