import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
    canonical,
    changedFields,
    fromResponse,
    ROUTE_SHAPE,
    sameRoute,
    stableJson,
    toPayload,
    withDefaults,
} from "../../providers/incident-io/model";
import type { AlertRouteResponse, AlertRouteSpec, IncidentTemplate, ParamBinding } from "../../providers/incident-io/types";
import { UNKNOWN } from "../../providers/incident-io/validate";
import { loadSpec } from "../../dev/emulator";
import { ALERTMANAGER, ESCALATION_PATH, productionAlerts, SEVERITY_ATTRIBUTE } from "../fixtures/routes";

/** What incident.io answers for a payload: labels, subject/operation objects, `returns`,
 * server-filled defaults, expressions in its own order, ids and timestamps. */
function asResponse(spec: AlertRouteSpec): AlertRouteResponse {
    // Binding values (under `value` / `array_value`) gain a label; subject and operation become objects.
    const label = (v: unknown, parent?: string): unknown =>
        Array.isArray(v)
            ? v.map((x) => label(x, parent))
            : v && typeof v === "object"
              ? Object.fromEntries(
                    Object.entries(v)
                        .map(([k, x]) =>
                            k === "subject"
                                ? [k, { label: "Severity", reference: x }]
                                : k === "operation"
                                  ? [k, { label: "One of", value: x }]
                                  : [k, label(x, k)],
                        )
                        .concat(parent === "value" || parent === "array_value" ? [["label", "Shown"]] : []),
                )
              : v;
    // The labelled route, as far as the lines below read it; everything else passes through.
    type Labelled = Omit<AlertRouteResponse, "id" | "version" | "expressions" | "incident_config" | "incident_template"> & {
        expressions: Array<{ operations: object[] }>;
        incident_config: Record<string, unknown>;
        incident_template: object;
    };
    const r = label(JSON.parse(JSON.stringify(spec))) as Labelled;
    r.expressions = r.expressions
        .map((e) => ({
            ...e,
            returns: { type: "string", array: false },
            operations: e.operations.map((o) => ({ ...o, returns: { type: "string", array: false } })),
        }))
        .reverse();
    r.incident_config.auto_relate_grouped_alerts = false;
    r.owning_team_ids = [];
    return {
        id: "01JROUTE000000000000000000",
        version: 3,
        created_at: "2026-01-01T00:00:00Z",
        updated_at: "2026-01-02T00:00:00Z",
        ...r,
        incident_template: { ...r.incident_template },
    };
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
        [
            "severity value",
            (s) => {
                const c = structuredClone(s);
                c.alert_sources[0].condition_groups[0].conditions[0].param_bindings = [{ array_value: [{ literal: "warning" }] }];
                return c;
            },
            ["alert_sources"],
        ],
        ["source order (set-like)", (s) => ({ ...s, alert_sources: [...s.alert_sources].reverse() }), []],
        [
            "escalation dropped",
            (s) => ({ ...s, escalation_config: { auto_cancel_escalations: true, escalation_targets: [] } }),
            ["escalation_config"],
        ],
        [
            "expression label",
            (s) => {
                const c = structuredClone(s);
                c.expressions[1].label = "Zone";
                return c;
            },
            ["expressions"],
        ],
        ["expression order only", (s) => ({ ...s, expressions: [...s.expressions].reverse() }), []],
        [
            "key order only",
            (s) =>
                JSON.parse(JSON.stringify(s, Object.keys(s).sort())) && (Object.fromEntries(Object.entries(s).reverse()) as AlertRouteSpec),
            [],
        ],
        ["owning teams order", (s) => ({ ...s, owning_team_ids: ["B", "A"] }), ["owning_team_ids"]],
        [
            "server default auto_relate_grouped_alerts=false",
            (s) => ({ ...s, incident_config: { ...s.incident_config, auto_relate_grouped_alerts: false } }),
            [],
        ],
        [
            "auto_relate_grouped_alerts=true",
            (s) => ({ ...s, incident_config: { ...s.incident_config, auto_relate_grouped_alerts: true } }),
            ["incident_config"],
        ],
        ["empty owning_team_ids", (s) => ({ ...s, owning_team_ids: [] }), []],
        ["message_template null", (s) => ({ ...s, message_template: null as unknown as ParamBinding }), []],
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
        const condition = (pasted as unknown as AlertRouteSpec).alert_sources[0].condition_groups[0].conditions[0];
        assert.equal(condition.subject, `alert.attributes.${SEVERITY_ATTRIBUTE}`);
        assert.equal(condition.operation, "one_of");
    });
});

// ------------------------------------------------------------------ the real API's behaviours (issue 7)

const TEXT = `alert.attributes.${SEVERITY_ATTRIBUTE}`;
const CATALOG = "alert.attributes.01JCATA1OG0000000000000000";
const cond = (subject: string, operation: string, ...literals: string[]) => ({
    subject,
    operation,
    param_bindings: literals.length === 0 ? [] : [{ array_value: literals.map((literal) => ({ literal })) }],
});
/** productionAlerts with the first source's condition replaced. */
const withCondition = (c: ReturnType<typeof cond>): AlertRouteSpec => {
    const r = productionAlerts();
    r.alert_sources[0].condition_groups = [{ conditions: [c] }];
    return r;
};
const SECOND_PATH = "01JCCCCCCCCCCCCCCCCCCCCCCC";
/** A rich-text document as a user writes it (JSON.stringify: no HTML escaping, the user's key order)... */
const RICH_TEXT = JSON.stringify({
    type: "doc",
    content: [
        {
            type: "paragraph",
            content: [
                { type: "text", text: "DB > 90% & <rising>" },
                { type: "varSpec", attrs: { name: "alert.title" } },
            ],
        },
    ],
});
/** ...and as incident.io stores it: Go's encoding/json, keys sorted, <, > and & escaped. */
const RICH_TEXT_AS_STORED =
    '{"content":[{"content":[{"text":"DB \\u003e 90% \\u0026 \\u003crising\\u003e","type":"text"},{"attrs":{"name":"alert.title"},"type":"varSpec"}],"type":"paragraph"}],"type":"doc"}';
/** productionAlerts with the incident template's parts replaced. */
const withTemplate = (parts: Partial<IncidentTemplate>): AlertRouteSpec =>
    productionAlerts({ incident_template: { name: { autogenerated: true }, severity: { merge_strategy: "first-wins" }, ...parts } });

describe("model: what the real API does to a route", () => {
    // [what, what we sent, what the API holds, fields that differ]
    const cases: Array<[string, AlertRouteSpec, AlertRouteSpec, string[]]> = [
        // 1. operation aliases (terraform-provider-incident engine.go serverOperationNormalisations)
        [
            "one_of read back as contains_one_of",
            withCondition(cond(TEXT, "one_of", "critical")),
            withCondition(cond(TEXT, "contains_one_of", "critical")),
            [],
        ],
        [
            "contains read back as name_contains",
            withCondition(cond(CATALOG, "contains", "db")),
            withCondition(cond(CATALOG, "name_contains", "db")),
            [],
        ],
        [
            "contains_one_of sent, contains_one_of held",
            withCondition(cond(TEXT, "contains_one_of", "critical")),
            withCondition(cond(TEXT, "contains_one_of", "critical")),
            [],
        ],
        [
            "alias on another subject is a change",
            withCondition(cond(TEXT, "one_of", "critical")),
            withCondition(cond(CATALOG, "contains_one_of", "critical")),
            ["alert_sources"],
        ],
        [
            "a different operation is a change",
            withCondition(cond(TEXT, "one_of", "critical")),
            withCondition(cond(TEXT, "not_one_of", "critical")),
            ["alert_sources"],
        ],
        [
            "a different value under the alias is a change",
            withCondition(cond(TEXT, "one_of", "critical")),
            withCondition(cond(TEXT, "contains_one_of", "warning")),
            ["alert_sources"],
        ],
        [
            "contains is not an alias of contains_one_of",
            withCondition(cond(TEXT, "contains", "critical")),
            withCondition(cond(TEXT, "contains_one_of", "critical")),
            ["alert_sources"],
        ],
        // 2. the users echo (CHANGELOG v5.44.1)
        [
            "escalation path echoed under users",
            productionAlerts(),
            productionAlerts({
                escalation_config: {
                    auto_cancel_escalations: true,
                    escalation_targets: [
                        {
                            escalation_paths: { array_value: [{ literal: ESCALATION_PATH }] },
                            users: { array_value: [{ literal: ESCALATION_PATH }] },
                        },
                    ],
                },
            }),
            [],
        ],
        [
            "users that are not an echo are a change",
            productionAlerts(),
            productionAlerts({
                escalation_config: {
                    auto_cancel_escalations: true,
                    escalation_targets: [
                        {
                            escalation_paths: { array_value: [{ literal: ESCALATION_PATH }] },
                            users: { array_value: [{ literal: SECOND_PATH }] },
                        },
                    ],
                },
            }),
            ["escalation_config"],
        ],
        // 3. server defaults (sent explicitly by withDefaults)
        [
            "severity first-wins filled by the server",
            productionAlerts(),
            productionAlerts({
                incident_template: {
                    name: { autogenerated: true },
                    summary: { autogenerated: true },
                    severity: { merge_strategy: "first-wins" },
                },
            }),
            [],
        ],
        [
            "severity max is a change",
            productionAlerts(),
            productionAlerts({
                incident_template: { name: { autogenerated: true }, summary: { autogenerated: true }, severity: { merge_strategy: "max" } },
            }),
            ["incident_template"],
        ],
        // 4. set-like lists come back in any order; the others keep theirs
        [
            "channel_config order",
            productionAlerts({ channel_config: [slack("C1"), slack("C2")] }),
            productionAlerts({ channel_config: [slack("C2"), slack("C1")] }),
            [],
        ],
        [
            "escalation_targets order",
            productionAlerts({
                escalation_config: { auto_cancel_escalations: true, escalation_targets: [path(ESCALATION_PATH), path(SECOND_PATH)] },
            }),
            productionAlerts({
                escalation_config: { auto_cancel_escalations: true, escalation_targets: [path(SECOND_PATH), path(ESCALATION_PATH)] },
            }),
            [],
        ],
        [
            "expressions order",
            productionAlerts(),
            { ...productionAlerts(), expressions: [...productionAlerts().expressions].reverse() },
            [],
        ],
        [
            "channel_config order, with aliases inside",
            productionAlerts({ channel_config: [slack("C1", cond(TEXT, "one_of", "a")), slack("C1", cond(TEXT, "one_of", "b"))] }),
            productionAlerts({
                channel_config: [slack("C1", cond(TEXT, "contains_one_of", "b")), slack("C1", cond(TEXT, "contains_one_of", "a"))],
            }),
            [],
        ],
        [
            "condition_groups keep their order",
            productionAlerts({ condition_groups: [{ conditions: [cond(TEXT, "is_set")] }, { conditions: [cond(CATALOG, "is_set")] }] }),
            productionAlerts({ condition_groups: [{ conditions: [cond(CATALOG, "is_set")] }, { conditions: [cond(TEXT, "is_set")] }] }),
            ["condition_groups"],
        ],
        [
            "conditions keep their order",
            productionAlerts({ condition_groups: [{ conditions: [cond(TEXT, "is_set"), cond(CATALOG, "is_set")] }] }),
            productionAlerts({ condition_groups: [{ conditions: [cond(CATALOG, "is_set"), cond(TEXT, "is_set")] }] }),
            ["condition_groups"],
        ],
        [
            "array_value keeps its order",
            withCondition(cond(TEXT, "one_of", "a", "b")),
            withCondition(cond(TEXT, "one_of", "b", "a")),
            ["alert_sources"],
        ],
        // 6. JSON held in literals (CHANGELOG v5.39.0, jsontypes/canonical.go): compared as parsed JSON
        [
            "rich-text incident name re-encoded: keys sorted, <, > and & escaped",
            withTemplate({ name: { autogenerated: false, binding: { value: { literal: RICH_TEXT } } } }),
            withTemplate({ name: { autogenerated: false, binding: { value: { literal: RICH_TEXT_AS_STORED } } } }),
            [],
        ],
        [
            "rich-text summary re-encoded",
            withTemplate({ summary: { autogenerated: false, binding: { value: { literal: RICH_TEXT } } } }),
            withTemplate({ summary: { autogenerated: false, binding: { value: { literal: RICH_TEXT_AS_STORED } } } }),
            [],
        ],
        [
            "message_template re-encoded",
            productionAlerts({ message_template: { value: { literal: RICH_TEXT } } }),
            productionAlerts({ message_template: { value: { literal: RICH_TEXT_AS_STORED } } }),
            [],
        ],
        [
            "another rich-text document is a change",
            withTemplate({ name: { autogenerated: false, binding: { value: { literal: RICH_TEXT } } } }),
            withTemplate({ name: { autogenerated: false, binding: { value: { literal: RICH_TEXT.replace("90%", "95%") } } } }),
            ["incident_template"],
        ],
        [
            "a scalar literal compares byte for byte (a numeric id keeps its digits)",
            withCondition(cond(TEXT, "one_of", "12345678901234567890")),
            withCondition(cond(TEXT, "one_of", "12345678901234567000")),
            ["alert_sources"],
        ],
        [
            "text that only looks like JSON compares byte for byte",
            productionAlerts({ message_template: { value: { literal: "{{ alert.title }}" } } }),
            productionAlerts({ message_template: { value: { literal: "{{alert.title}}" } } }),
            ["message_template"],
        ],
    ];
    for (const [what, sent, held, expected] of cases) {
        test(`changedFields: ${what}`, () => {
            assert.deepEqual(changedFields(sent, held), expected);
            assert.deepEqual(changedFields(held, sent), expected, "symmetric");
        });
    }

    test("5. fields never heard of, anywhere in an answer, are dropped: no diff, not in the route", () => {
        // The answer, with a field no client knows planted at every level below.
        const answer = asResponse(productionAlerts()) as AlertRouteResponse & {
            routing_insights?: unknown;
            alert_sources: Array<{
                source_health?: string;
                condition_groups: Array<{ conditions: Array<{ param_bindings: Array<{ array_value: Array<{ rank?: number }> }> }> }>;
            }>;
            escalation_config: { escalation_targets: Array<{ priority?: string }> };
            incident_template: { name: { style?: string } };
        };
        answer.routing_insights = { noisy: true };
        answer.alert_sources[0].source_health = "degraded";
        answer.alert_sources[0].condition_groups[0].conditions[0].param_bindings[0].array_value[0].rank = 3;
        answer.escalation_config.escalation_targets[0].priority = "high";
        answer.incident_template.name.style = "short";
        const spec = fromResponse(answer);
        assert.deepEqual(changedFields(productionAlerts(), spec), []);
        const text = JSON.stringify(canonical(spec));
        for (const unknown of ["routing_insights", "source_health", "rank", "priority", "style"])
            assert.ok(!text.includes(unknown), unknown);
    });

    test("fromResponse with what we sent keeps our operation names; without, the server's", () => {
        const sent = withCondition(cond(TEXT, "one_of", "critical"));
        const answer = asResponse(withCondition(cond(TEXT, "contains_one_of", "critical")));
        const op = (r: AlertRouteSpec) =>
            r.alert_sources.find((s) => s.alert_source_id === ALERTMANAGER)!.condition_groups[0].conditions[0].operation;
        assert.equal(op(fromResponse(answer, sent)), "one_of");
        assert.equal(op(fromResponse(answer)), "contains_one_of");
        // A real change is never masked by the planned name.
        assert.equal(op(fromResponse(asResponse(withCondition(cond(TEXT, "is_set"))), sent)), "is_set");
        // The result is canonical: a valid payload in canonical order.
        assert.deepEqual(canonical(fromResponse(answer, sent)), fromResponse(answer, sent));
    });

    test("withDefaults sends the server's defaults explicitly, inside given objects too", () => {
        const bare = withDefaults({ name: "X", alert_sources: [] });
        assert.deepEqual(bare.incident_template.severity, { merge_strategy: "first-wins" });
        assert.equal(bare.incident_config.auto_relate_grouped_alerts, false);
        const given = withDefaults({
            name: "X",
            alert_sources: [],
            incident_template: { name: { binding: { value: { reference: "alert.title" } } } },
            incident_config: { ...productionAlerts().incident_config, enabled: true },
        });
        assert.deepEqual(given.incident_template, {
            name: { autogenerated: false, binding: { value: { reference: "alert.title" } } },
            severity: { merge_strategy: "first-wins" },
        });
        assert.equal(given.incident_config.auto_relate_grouped_alerts, false);
        assert.equal(given.incident_config.enabled, true);
        const kept = withDefaults({
            name: "X",
            alert_sources: [],
            incident_template: { name: { autogenerated: true }, severity: { merge_strategy: "max" } },
        });
        assert.deepEqual(kept.incident_template.severity, { merge_strategy: "max" });
        // A value Pulumi does not know yet (preview) is left alone.
        assert.equal(
            withDefaults({ name: "X", alert_sources: [], incident_template: UNKNOWN as unknown as IncidentTemplate }).incident_template,
            UNKNOWN,
        );
    });

    test("ROUTE_SHAPE knows exactly the keys of AlertRoutesCreatePayloadV2 (openapi.json), at every level", () => {
        /** A schema node, as far as the walk reads it. */
        interface SchemaNode {
            $ref?: string;
            items?: SchemaNode;
            properties?: Record<string, SchemaNode>;
        }
        /** ROUTE_SHAPE's node type (model.ts keeps its own private). */
        type ShapeNode = "leaf" | readonly [ShapeNode] | { readonly [key: string]: ShapeNode };
        const schemas = loadSpec().components.schemas as Record<string, SchemaNode>;
        const resolve = (s: SchemaNode): SchemaNode => (s.$ref ? resolve(schemas[s.$ref.split("/").pop()!]) : s);
        const isTuple = (shape: ShapeNode): shape is readonly [ShapeNode] => Array.isArray(shape);
        const mismatches: string[] = [];
        const walk = (shape: ShapeNode, schema: SchemaNode, at: string): void => {
            schema = resolve(schema);
            if (shape === "leaf") return;
            if (isTuple(shape)) return walk(shape[0], schema.items!, `${at}[]`);
            const known = Object.keys(shape).sort();
            const spec = Object.keys(schema.properties ?? {})
                .filter((k) => !["created_at", "updated_at"].includes(k))
                .sort();
            if (JSON.stringify(known) !== JSON.stringify(spec)) mismatches.push(`${at}: ${known} vs ${spec}`);
            for (const k of known) if (schema.properties?.[k]) walk(shape[k], schema.properties[k], `${at}.${k}`);
        };
        walk(ROUTE_SHAPE, schemas.AlertRoutesCreatePayloadV2, "route");
        assert.deepEqual(mismatches, []);
    });

    test("canonical is idempotent on a realistic answer", () => {
        const answer: AlertRouteResponse & { extra?: unknown } = asResponse(
            productionAlerts({ channel_config: [slack("C2"), slack("C1")] }),
        );
        answer.extra = { x: 1 };
        const once = canonical(fromResponse(answer));
        assert.deepEqual(canonical(once), once);
    });
});

function slack(channel: string, ...conditions: Array<ReturnType<typeof cond>>) {
    return {
        condition_groups: conditions.length ? [{ conditions }] : [],
        slack_targets: { binding: { array_value: [{ literal: channel }] }, channel_visibility: "public" },
    };
}
function path(id: string) {
    return { escalation_paths: { array_value: [{ literal: id }] } };
}

describe("model: what answers leave out, and the empty things they hold", () => {
    const CUSTOM_FIELD = "01JCUST0MF1E1D000000000000";
    const withCast = (type: string): AlertRouteSpec =>
        productionAlerts({
            expressions: [
                {
                    label: "As text",
                    reference: "as_text",
                    root_reference: "alert",
                    operations: [{ operation_type: "cast", cast: { returns: { type, array: false } } }],
                },
                {
                    label: "Joined",
                    reference: "joined",
                    root_reference: "alert",
                    operations: [{ operation_type: "concatenate", concatenate: { reference: "alert.title" } }],
                },
            ],
        });
    /** The answer as ExpressionOperationV2 allows it: operation_type and returns, no cast or concatenate options. */
    const answerFor = (written: AlertRouteSpec, castReturns: string): AlertRouteResponse => {
        const answer = asResponse(written) as unknown as { expressions: Array<{ operations: Array<Record<string, unknown>> }> };
        for (const e of answer.expressions)
            for (const op of e.operations) {
                if (op.operation_type === "cast") op.returns = { type: castReturns, array: false };
                delete op.cast;
                delete op.concatenate;
            }
        return answer as unknown as AlertRouteResponse;
    };

    test("7. cast and concatenate options, which answers leave out, are taken from what we wrote", () => {
        const written = withCast("IncidentStatus");
        const route = fromResponse(answerFor(written, "IncidentStatus"), written);
        assert.deepEqual(changedFields(written, route), []);
        assert.deepEqual(route.expressions, canonical(written).expressions, "the route output keeps them");
        // Without what we wrote (an import, a backup), the answer is all there is.
        const imported = fromResponse(answerFor(written, "IncidentStatus"));
        assert.deepEqual(changedFields(written, imported), ["expressions"]);
    });

    test("7. a cast whose type the answer contradicts is a change (what the API keeps still compares)", () => {
        const written = withCast("IncidentStatus");
        assert.deepEqual(changedFields(written, fromResponse(answerFor(written, "Number"), written)), ["expressions"]);
    });

    test("7. a new definition is never what fills the answer: its change to a concatenate still shows", () => {
        const written = withCast("IncidentStatus");
        const desired = structuredClone(written);
        desired.expressions[1].operations[0].concatenate = { reference: "alert.description" };
        assert.deepEqual(changedFields(desired, fromResponse(answerFor(written, "IncidentStatus"), written)), ["expressions"]);
    });

    test("7. custom_fields left out of an answer are the ones we wrote; without them, a change", () => {
        const written = productionAlerts({
            incident_template: {
                name: { autogenerated: true },
                severity: { merge_strategy: "first-wins" },
                custom_fields: [{ custom_field_id: CUSTOM_FIELD, binding: { value: { literal: "x" } }, merge_strategy: "first-wins" }],
            },
        });
        const answer = asResponse(written) as unknown as { incident_template: Record<string, unknown> };
        delete answer.incident_template.custom_fields;
        const held = answer as unknown as AlertRouteResponse;
        assert.deepEqual(changedFields(written, fromResponse(held, written)), []);
        assert.deepEqual(changedFields(written, fromResponse(held)), ["incident_template"]);
        // Custom fields the answer does hold are compared as held.
        const other = asResponse(written) as unknown as { incident_template: { custom_fields: Array<{ merge_strategy: string }> } };
        other.incident_template.custom_fields[0].merge_strategy = "last-wins";
        assert.deepEqual(changedFields(written, fromResponse(other as unknown as AlertRouteResponse, written)), ["incident_template"]);
    });

    test("8. an empty ms_teams_targets beside a Slack target (TF issue #174) is no target", () => {
        const written = productionAlerts();
        const answer = asResponse(written) as unknown as { channel_config: Array<Record<string, unknown>> };
        answer.channel_config[0].ms_teams_targets = { binding: {}, channel_visibility: "" };
        const held = fromResponse(answer as unknown as AlertRouteResponse, written);
        assert.deepEqual(changedFields(written, held), []);
        assert.ok(!JSON.stringify(held).includes("ms_teams_targets"), "not in the route output");
        // A real Teams target is a change.
        answer.channel_config[0].ms_teams_targets = { binding: { value: { literal: "19:x@thread.tacv2" } }, channel_visibility: "public" };
        assert.deepEqual(changedFields(written, fromResponse(answer as unknown as AlertRouteResponse, written)), ["channel_config"]);
    });

    test("8. a binding answered as an empty array_value is no binding", () => {
        const written = productionAlerts({ condition_groups: [{ conditions: [cond("alert.title", "is_set")] }] });
        const held = structuredClone(written);
        held.condition_groups[0].conditions[0].param_bindings = [{ array_value: [] }];
        held.message_template = { array_value: [] };
        assert.deepEqual(changedFields(written, held), []);
        assert.deepEqual(fromResponse(held).condition_groups[0].conditions[0].param_bindings, []);
    });
});
