// Tests for the incident.io API emulator in dev/emulator/.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { OPENAPI_PATH } from "../../dev/paths";
import { INCIDENT_IO_ID } from "../../providers/incident-io/validate";
import {
    IncidentIoEmulator,
    type AlertRouteSlimV2,
    type AlertRouteV2,
    type AlertSourceV2,
    type CreatePayload,
    type ManagedResourceV2,
    type UpdatePayload,
} from "../../dev/emulator";
import type { ApiError, ErrorEnvelope } from "../../dev/emulator/replies";

const API_KEY = "test-api-key";
const SPEC_PATH = OPENAPI_PATH;

// ------------------------------------------------------------------ spec checks (independent of the emulator's ajv)

const specValidator = (() => {
    const spec = JSON.parse(fs.readFileSync(SPEC_PATH, "utf8"));
    const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    addFormats(ajv);
    ajv.addSchema({ $id: "spec", components: spec.components });
    return (name: string, value: unknown): void => {
        const validate = ajv.getSchema(`spec#/components/schemas/${name}`);
        assert.ok(validate, `schema ${name} exists`);
        const ok = validate(value);
        assert.ok(ok, `${name}: ${JSON.stringify(validate.errors, null, 2)}`);
    };
})();

// ------------------------------------------------------------------ helpers

function routePayload(name = "Platform alerts", extra: Partial<CreatePayload> = {}): CreatePayload {
    const team = { literal: "01HTEAM0000000000000000000" };
    return {
        name,
        enabled: true,
        is_private: false,
        condition_groups: [
            {
                conditions: [
                    {
                        subject: "alert.attributes.team",
                        operation: "one_of",
                        param_bindings: [{ array_value: [team] }],
                    },
                ],
            },
        ],
        expressions: [
            {
                label: "Alpha team",
                reference: "alpha",
                root_reference: "payload",
                operations: [{ operation_type: "navigate", navigate: { reference: "alert.attributes.team" } }],
            },
            {
                label: "Zulu severity",
                reference: "zulu",
                root_reference: "payload",
                operations: [
                    { operation_type: "parse", parse: { source: "$.severity", returns: { type: "IncidentSeverity", array: false } } },
                ],
                else_branch: { result: { value: { literal: "minor" } } },
            },
        ],
        alert_sources: [
            {
                alert_source_id: "01HSOURCE00000000000000000",
                condition_groups: [{ conditions: [{ subject: "alert.title", operation: "is_set", param_bindings: [] }] }],
            },
        ],
        channel_config: [],
        escalation_config: {
            auto_cancel_escalations: true,
            escalation_targets: [{ escalation_paths: { array_value: [{ literal: "01HPATH0000000000000000000" }] } }],
        },
        incident_config: {
            enabled: true,
            auto_decline_enabled: false,
            condition_groups: [],
            grouping_keys: [{ reference: "alert.attributes.team" }],
            grouping_window_seconds: 1800,
            defer_time_seconds: 0,
        },
        incident_template: {
            name: { binding: { value: { reference: "alert.title" } } },
            summary: { binding: { value: { reference: "alert.description" } } },
            severity: { merge_strategy: "max", binding: { value: { reference: 'expressions["zulu"]' } } },
        },
        ...extra,
    };
}

interface CallOptions {
    body?: unknown;
    auth?: string | null;
    signal?: AbortSignal;
}

async function call(emu: IncidentIoEmulator, method: string, urlPath: string, opts: CallOptions = {}): Promise<Response> {
    const headers: Record<string, string> = {};
    const auth = opts.auth === undefined ? `Bearer ${API_KEY}` : opts.auth;
    if (auth !== null) headers.authorization = auth;
    if (opts.body !== undefined) headers["content-type"] = "application/json";
    return fetch(emu.url + urlPath, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: opts.signal,
    });
}

async function create(emu: IncidentIoEmulator, payload = routePayload()): Promise<{ id: string; version: number }> {
    const res = await call(emu, "POST", "/v2/alert_routes", { body: payload });
    assert.equal(res.status, 201);
    const { alert_route } = (await res.json()) as { alert_route: { id: string; version: number } };
    return alert_route;
}

function updateBody(version: number, name = "Platform alerts (renamed)"): UpdatePayload {
    return { ...routePayload(name), version };
}

// The answers as the tests read them; each shape is also checked against the spec where it matters.
interface ShowBody {
    alert_route: AlertRouteV2;
}
interface ListBody {
    alert_routes: AlertRouteSlimV2[];
    pagination_meta: { page_size: number; after?: string };
}
/** A route as the realistic emulator answers: with fields no client has heard of (normalise.ts). */
type RouteWithUnknownFields = AlertRouteV2 & { routing_insights?: unknown };
/** The 429 envelope carries when to retry. */
type RateLimitedBody = ErrorEnvelope & { rate_limit: { retry_after: string } };

function assertEnvelope(body: unknown, status: number, type: string): asserts body is ErrorEnvelope {
    // Every field is asserted below; the cast only lets the asserts read it.
    const envelope = body as ErrorEnvelope;
    assert.equal(envelope.type, type);
    assert.equal(envelope.status, status);
    assert.match(envelope.request_id, /^[0-9a-f-]{36}$/);
    assert.ok(Array.isArray(envelope.errors) && envelope.errors.length > 0);
    for (const e of envelope.errors) {
        assert.equal(typeof e.code, "string");
        assert.equal(typeof e.message, "string");
    }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------ tests

describe("incident.io emulator", () => {
    let emu: IncidentIoEmulator;

    before(async () => {
        emu = await IncidentIoEmulator.start();
    });
    after(async () => {
        await emu.close();
    });

    test("the spec is read from dev/reference/incident-io, inside the repository", () => {
        assert.ok(fs.existsSync(SPEC_PATH));
    });

    test("requests without a valid bearer token get 401", async () => {
        for (const auth of [null, "Bearer wrong-key", API_KEY]) {
            const res = await call(emu, "GET", "/v2/alert_routes", { auth });
            assert.equal(res.status, 401);
            assert.match(res.headers.get("content-type") ?? "", /application\/json/);
            assertEnvelope(await res.json(), 401, "authentication_error");
        }
        assert.equal(emu.routes().length, 0);
    });

    test("create answers 201 with the richer AlertRouteV2 shape, valid per the spec", async () => {
        const res = await call(emu, "POST", "/v2/alert_routes", { body: routePayload("Rich") });
        assert.equal(res.status, 201);
        const created = (await res.json()) as ShowBody;
        specValidator("AlertRoutesShowResultV2", created);
        const r = created.alert_route;
        assert.match(r.id, INCIDENT_IO_ID);
        assert.equal(r.version, 1);
        assert.ok(!Number.isNaN(Date.parse(r.created_at)) && !Number.isNaN(Date.parse(r.updated_at)));

        const show = await call(emu, "GET", `/v2/alert_routes/${r.id}`);
        assert.equal(show.status, 200);
        const detail = (await show.json()) as ShowBody;
        specValidator("AlertRoutesShowResultV2", detail);
        const d = detail.alert_route;
        assert.deepEqual(d, r);
        assert.deepEqual(d.condition_groups[0].conditions[0].subject, {
            label: "Alert Attributes Team",
            reference: "alert.attributes.team",
        });
        // `one_of` on a text attribute is stored under its alias (normalise.ts)
        assert.deepEqual(d.condition_groups[0].conditions[0].operation, { label: "Contains one of", value: "contains_one_of" });
        assert.equal(d.condition_groups[0].conditions[0].param_bindings[0].array_value![0].label, "01HTEAM0000000000000000000");
        const expression = (reference: string) => d.expressions.find((e) => e.reference === reference)!;
        const alpha = expression("alpha");
        assert.deepEqual(alpha.returns, { type: "string", array: false });
        assert.deepEqual(alpha.operations[0].returns, { type: "string", array: false });
        assert.equal(alpha.operations[0].navigate!.reference_label, "Alert Attributes Team");
        assert.deepEqual(expression("zulu").returns, { type: "IncidentSeverity", array: false });
        assert.equal(expression("zulu").else_branch!.result.value!.label, "minor");
        assert.equal(d.incident_config.auto_relate_grouped_alerts, false);
        assert.equal(d.incident_template.name.autogenerated, false);
        assert.equal(d.incident_template.summary!.autogenerated, false);
        assert.equal(d.incident_template.name.binding!.value!.label, "Alert Title");
        assert.deepEqual(d.owning_team_ids, []);
        assert.deepEqual(emu.route(r.id), d);
    });

    test("GET of an unknown route, or an unknown path, is a 404 envelope", async () => {
        const res = await call(emu, "GET", "/v2/alert_routes/01HNOPE0000000000000000000");
        assert.equal(res.status, 404);
        assertEnvelope(await res.json(), 404, "not_found");
        const other = await call(emu, "GET", "/v2/nothing_here");
        assert.equal(other.status, 404);
        assertEnvelope(await other.json(), 404, "not_found");
    });
});

describe("behaves like the real API by default (normalise.ts)", () => {
    const TEXT_ATTRIBUTE = "01HTEXT0000000000000000000";
    const CATALOG_ATTRIBUTE = "01HCATALOG0000000000000000";
    const condition = (attribute: string, operation: string) => ({
        conditions: [{ subject: `alert.attributes.${attribute}`, operation, param_bindings: [{ array_value: [{ literal: "x" }] }] }],
    });
    const sources = [
        "01HSOURCEA0000000000000000",
        "01HSOURCEB0000000000000000",
        "01HSOURCEC0000000000000000",
        "01HSOURCED0000000000000000",
    ];
    const payload = (): CreatePayload =>
        routePayload("Normalised", {
            condition_groups: [
                condition(TEXT_ATTRIBUTE, "one_of"),
                condition(CATALOG_ATTRIBUTE, "contains"),
                condition(CATALOG_ATTRIBUTE, "one_of"),
                condition(TEXT_ATTRIBUTE, "contains"),
            ],
            alert_sources: sources.map((alert_source_id) => ({ alert_source_id, condition_groups: [] })),
            incident_template: { name: { autogenerated: true } },
            incident_config: {
                enabled: false,
                auto_decline_enabled: false,
                condition_groups: [],
                grouping_keys: [],
                grouping_window_seconds: 0,
                defer_time_seconds: 0,
            },
        });

    for (const realistic of [true, false]) {
        test(
            realistic ? "default: aliases, users echo, defaults, own order, unknown fields" : "echoAsSent: the route as sent",
            async () => {
                const emu = await IncidentIoEmulator.start(realistic ? { catalogAttributeIds: [CATALOG_ATTRIBUTE] } : { echoAsSent: true });
                try {
                    const sent = payload();
                    const { id } = await create(emu, sent);
                    const d = ((await (await call(emu, "GET", `/v2/alert_routes/${id}`)).json()) as ShowBody).alert_route;
                    specValidator("AlertRoutesShowResultV2", { alert_route: d });
                    const ops = d.condition_groups.map((g) => g.conditions[0].operation.value);
                    const target = d.escalation_config.escalation_targets[0];
                    if (realistic) {
                        assert.deepEqual(
                            ops,
                            ["contains_one_of", "name_contains", "one_of", "contains"],
                            "only the aliases on their subject types are renamed",
                        );
                        assert.deepEqual(target.users, target.escalation_paths, "escalation path echoed under users");
                        assert.deepEqual(d.incident_template.severity, { merge_strategy: "first-wins" });
                        assert.equal(d.incident_config.auto_relate_grouped_alerts, false);
                        assert.notDeepEqual(
                            d.alert_sources.map((s) => s.alert_source_id),
                            sources,
                            "set-like list in the server's own order",
                        );
                        assert.deepEqual(d.alert_sources.map((s) => s.alert_source_id).sort(), sources);
                        assert.ok("routing_insights" in d && d.alert_sources.every((s) => "source_health" in s), "fields no client knows");
                        // The order is the server's, not random: a second read agrees.
                        const again = ((await (await call(emu, "GET", `/v2/alert_routes/${id}`)).json()) as ShowBody).alert_route;
                        assert.deepEqual(again, d);
                    } else {
                        assert.deepEqual(ops, ["one_of", "contains", "one_of", "contains"]);
                        assert.equal(target.users, undefined);
                        assert.equal(d.incident_template.severity, undefined);
                        assert.deepEqual(
                            d.alert_sources.map((s) => s.alert_source_id),
                            sources,
                        );
                        assert.ok(!("routing_insights" in d) && d.alert_sources.every((s) => !("source_health" in s)));
                    }
                } finally {
                    await emu.close();
                }
            },
        );
    }

    test("round two: JSON literals re-encoded, cast/concatenate options dropped, empty Teams target, more aliases, more sets", async () => {
        const emu = await IncidentIoEmulator.start();
        try {
            const doc = JSON.stringify({ type: "doc", content: [{ type: "text", text: "cpu > 90% & <rising>" }] });
            const sent = routePayload("Round two", {
                condition_groups: [
                    {
                        conditions: [
                            { subject: "alert.title", operation: "one_of", param_bindings: [{ array_value: [{ literal: "down" }] }] },
                        ],
                    },
                    {
                        conditions: [
                            { subject: "alert.description", operation: "one_of", param_bindings: [{ array_value: [{ literal: "x" }] }] },
                        ],
                    },
                    {
                        conditions: [
                            { subject: "alert.priority", operation: "one_of", param_bindings: [{ array_value: [{ literal: "P1" }] }] },
                        ],
                    },
                ],
                expressions: [
                    {
                        label: "As text",
                        reference: "as_text",
                        root_reference: "alert",
                        operations: [{ operation_type: "cast", cast: { returns: { type: "Text", array: false } } }],
                    },
                    {
                        label: "Joined",
                        reference: "joined",
                        root_reference: "alert",
                        operations: [{ operation_type: "concatenate", concatenate: { reference: "alert.title" } }],
                    },
                ],
                channel_config: [
                    {
                        condition_groups: [],
                        slack_targets: { binding: { array_value: [{ literal: "C01" }] }, channel_visibility: "public" },
                    },
                ],
                incident_config: {
                    enabled: true,
                    auto_decline_enabled: false,
                    condition_groups: [],
                    grouping_keys: [{ reference: "alert.title" }, { reference: "alert.description" }],
                    grouping_window_seconds: 600,
                    defer_time_seconds: 0,
                },
                incident_template: {
                    name: { autogenerated: false, binding: { value: { literal: doc } } },
                    custom_fields: [
                        {
                            custom_field_id: "01HFIELDA00000000000000000",
                            binding: { value: { literal: "a" } },
                            merge_strategy: "first-wins",
                        },
                        { custom_field_id: "01HFIELDB00000000000000000", binding: { value: { literal: "b" } }, merge_strategy: "append" },
                    ],
                },
                message_template: { value: { literal: doc } },
                owning_team_ids: ["01HTEAMA000000000000000000", "01HTEAMB000000000000000000"],
            });
            const { id } = await create(emu, sent);
            const d = ((await (await call(emu, "GET", `/v2/alert_routes/${id}`)).json()) as ShowBody).alert_route;
            specValidator("AlertRoutesShowResultV2", { alert_route: d });
            // JSON literals as Go's encoding/json writes them (TF CHANGELOG v5.39.0).
            const stored = '{"content":[{"text":"cpu \\u003e 90% \\u0026 \\u003crising\\u003e","type":"text"}],"type":"doc"}';
            assert.equal(d.incident_template.name.binding?.value?.literal, stored);
            assert.equal(d.message_template?.value?.literal, stored);
            assert.deepEqual(JSON.parse(stored), JSON.parse(doc), "the same document");
            // ExpressionOperationV2 has no cast or concatenate; a cast's type is the operation's returns.
            const byRef = Object.fromEntries(d.expressions.map((e) => [e.reference, e.operations[0]]));
            assert.equal(byRef.as_text.operation_type, "cast");
            assert.equal(byRef.as_text.cast, undefined);
            assert.deepEqual(byRef.as_text.returns, { type: "Text", array: false });
            assert.equal(byRef.joined.operation_type, "concatenate");
            assert.equal(byRef.joined.concatenate, undefined);
            // A Slack-only channel echoes an empty Teams target (TF issue #174).
            assert.deepEqual(d.channel_config[0].ms_teams_targets, { binding: {}, channel_visibility: "" });
            // one_of on String/TemplatedText subjects (title, description) reads back as contains_one_of.
            assert.deepEqual(
                d.condition_groups.map((g) => g.conditions[0].operation.value),
                ["contains_one_of", "contains_one_of", "one_of"],
            );
            // grouping_keys, custom_fields and owning_team_ids in the server's own order.
            assert.notDeepEqual(d.incident_config.grouping_keys, sent.incident_config.grouping_keys);
            assert.notDeepEqual(
                d.incident_template.custom_fields?.map((f) => f.custom_field_id),
                sent.incident_template.custom_fields?.map((f) => f.custom_field_id),
            );
            assert.notDeepEqual(d.owning_team_ids, sent.owning_team_ids);
        } finally {
            await emu.close();
        }
    });

    test("with rejectUnknownFields, an answer's unknown fields are not accepted back as a payload", async () => {
        const emu = await IncidentIoEmulator.start({ rejectUnknownFields: true });
        try {
            const { id } = await create(emu);
            const d = emu.route(id)!;
            const res = await call(emu, "PUT", `/v2/alert_routes/${id}`, {
                body: { ...routePayload(), routing_insights: (d as RouteWithUnknownFields).routing_insights, version: 2 },
            });
            assert.equal(res.status, 422);
        } finally {
            await emu.close();
        }
    });
});

describe("list and pagination", () => {
    let emu: IncidentIoEmulator;
    before(async () => {
        emu = await IncidentIoEmulator.start();
    });
    after(() => emu.close());

    test("slim list, ordered by id, paginated with after", async () => {
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) ids.push(emu.seedRoute(routePayload(`Route ${i}`)).id);
        assert.equal(emu.count(), 0, "seeding does not log requests");

        const seen: string[] = [];
        let after: string | undefined;
        let pages = 0;
        do {
            const res = await call(emu, "GET", `/v2/alert_routes?page_size=2${after ? `&after=${after}` : ""}`);
            assert.equal(res.status, 200);
            const body = (await res.json()) as ListBody;
            specValidator("AlertRoutesListResultV2", body);
            assert.equal(body.pagination_meta.page_size, 2);
            for (const r of body.alert_routes) {
                assert.deepEqual(Object.keys(r).sort(), ["enabled", "id", "name"]);
                seen.push(r.id);
            }
            after = body.pagination_meta.after;
            pages++;
        } while (after);
        assert.equal(pages, 3);
        assert.deepEqual(seen, [...ids].sort());
        assert.deepEqual(seen, ids, "ids are time-ordered, so creation order is id order");
        assert.equal(emu.count("GET", "/v2/alert_routes"), 3);

        const all = (await (await call(emu, "GET", "/v2/alert_routes")).json()) as ListBody;
        assert.equal(all.pagination_meta.page_size, 25);
        assert.equal(all.alert_routes.length, 5);
        assert.equal(all.pagination_meta.after, undefined);
    });

    test("page_size outside 1..50 is a 422", async () => {
        for (const size of ["0", "51", "abc"]) {
            const res = await call(emu, "GET", `/v2/alert_routes?page_size=${size}`);
            assert.equal(res.status, 422);
            const body: unknown = await res.json();
            assertEnvelope(body, 422, "validation_error");
            assert.equal(body.errors[0].source!.field, "page_size");
        }
    });
});

describe("update and delete", () => {
    let emu: IncidentIoEmulator;
    before(async () => {
        emu = await IncidentIoEmulator.start();
    });
    after(() => emu.close());

    test("PUT requires version = current + 1", async () => {
        const { id } = await create(emu);
        for (const version of [1, 3]) {
            const res = await call(emu, "PUT", `/v2/alert_routes/${id}`, { body: updateBody(version) });
            assert.equal(res.status, 422);
            const body: unknown = await res.json();
            assertEnvelope(body, 422, "validation_error");
            assert.deepEqual(body.errors[0], {
                code: "invalid_value",
                message: "version must be exactly one greater than the current version (1)",
                source: { field: "version" },
            });
        }
        const ok = await call(emu, "PUT", `/v2/alert_routes/${id}`, { body: updateBody(2) });
        assert.equal(ok.status, 200);
        const body = (await ok.json()) as ShowBody;
        specValidator("AlertRoutesShowResultV2", body);
        assert.equal(body.alert_route.version, 2);
        assert.equal(body.alert_route.name, "Platform alerts (renamed)");
        assert.equal(emu.route(id)?.version, 2);

        const missing = await call(emu, "PUT", "/v2/alert_routes/01HNOPE0000000000000000000", { body: updateBody(2) });
        assert.equal(missing.status, 404);
    });

    test("DELETE answers 204 with no body, then 404", async () => {
        const { id } = await create(emu);
        const res = await call(emu, "DELETE", `/v2/alert_routes/${id}`);
        assert.equal(res.status, 204);
        assert.equal(await res.text(), "");
        assert.equal(emu.route(id), undefined);
        const again = await call(emu, "DELETE", `/v2/alert_routes/${id}`);
        assert.equal(again.status, 404);
        assertEnvelope(await again.json(), 404, "not_found");
        assert.equal((await call(emu, "GET", `/v2/alert_routes/${id}`)).status, 404);
    });

    test("editInUi and deleteInUi change state like a dashboard user", async () => {
        const { id } = await create(emu);
        const edited = emu.editInUi(id, (r) => {
            r.name = "Renamed in UI";
        });
        assert.equal(edited.version, 2);
        const show = (await (await call(emu, "GET", `/v2/alert_routes/${id}`)).json()) as ShowBody;
        assert.equal(show.alert_route.name, "Renamed in UI");
        assert.equal(show.alert_route.version, 2);
        const stale = await call(emu, "PUT", `/v2/alert_routes/${id}`, { body: updateBody(2) });
        assert.equal(stale.status, 422);
        emu.deleteInUi(id);
        assert.equal((await call(emu, "GET", `/v2/alert_routes/${id}`)).status, 404);
    });
});

describe("payload validation", () => {
    let emu: IncidentIoEmulator;
    before(async () => {
        emu = await IncidentIoEmulator.start({ rejectUnknownFields: true });
    });
    after(() => emu.close());

    async function errorsFor(body: unknown, method = "POST", urlPath = "/v2/alert_routes"): Promise<ApiError[]> {
        const res = await call(emu, method, urlPath, { body });
        assert.equal(res.status, 422);
        const json: unknown = await res.json();
        assertEnvelope(json, 422, "validation_error");
        return json.errors;
    }

    test("missing, mistyped and unknown fields are reported with their JSON path", async () => {
        // Broken on purpose, so the wrong values go in through Object.assign and a Partial view.
        const bad = routePayload();
        const source: Partial<CreatePayload["alert_sources"][number]> = bad.alert_sources[0];
        delete source.alert_source_id;
        Object.assign(bad, { enabled: "yes" });
        const target = bad.escalation_config.escalation_targets[0];
        Object.assign(target, { escalation_path: target.escalation_paths });
        Object.assign(bad.incident_template.severity!, { merge_strategy: "loudest" });
        const errors = await errorsFor(bad);
        const byField = new Map(errors.map((e) => [e.source?.field, e]));
        assert.equal(byField.get("alert_sources.0.alert_source_id")?.code, "is_required");
        assert.ok(byField.has("enabled"));
        assert.ok(byField.has("escalation_config.escalation_targets.0.escalation_path"), JSON.stringify(errors));
        assert.ok(byField.has("incident_template.severity.merge_strategy"));
        assert.equal(errors.length, 4);
        assert.equal(emu.routes().length, 0);
    });

    test("with rejectUnknownFields, an unknown top-level key (e.g. version on create) is rejected", async () => {
        const errors = await errorsFor({ ...routePayload(), version: 1 });
        assert.deepEqual(
            errors.map((e) => e.source!.field),
            ["version"],
        );
    });

    test("by default, unknown request fields are ignored, never stored (the spec's request schemas are open)", async () => {
        const open = await IncidentIoEmulator.start();
        try {
            const res = await call(open, "POST", "/v2/alert_routes", { body: { ...routePayload(), typo_field: 1, version: 7 } });
            assert.equal(res.status, 201);
            const { alert_route } = (await res.json()) as ShowBody;
            assert.ok(!("typo_field" in alert_route));
            assert.equal(alert_route.version, 1);
        } finally {
            await open.close();
        }
    });

    test("PUT is validated too, and a body that is not JSON is a 400", async () => {
        const { id } = await create(emu);
        const body: Partial<UpdatePayload> = updateBody(2);
        delete body.version;
        const errors = await errorsFor(body, "PUT", `/v2/alert_routes/${id}`);
        assert.ok(errors.some((e) => e.source?.field === "version" && e.code === "is_required"));

        const res = await fetch(`${emu.url}/v2/alert_routes`, {
            method: "POST",
            headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
            body: "{not json",
        });
        assert.equal(res.status, 400);
        assertEnvelope(await res.json(), 400, "bad_request");
    });

    test("validate: false accepts unknown keys", async () => {
        const lax = await IncidentIoEmulator.start({ validate: false });
        try {
            const res = await call(lax, "POST", "/v2/alert_routes", { body: { ...routePayload(), typo_field: 1 } });
            assert.equal(res.status, 201);
        } finally {
            await lax.close();
        }
    });
});

describe("rate limiting", () => {
    test("past the per-minute limit: the documented 429 (docs.incident.io API reference example), Retry-After as an HTTP date", async () => {
        const emu = await IncidentIoEmulator.start({ rateLimitPerMinute: 3 });
        try {
            for (let i = 0; i < 3; i++) assert.equal((await call(emu, "GET", "/v2/alert_routes")).status, 200);
            const res = await call(emu, "GET", "/v2/alert_routes");
            assert.equal(res.status, 429);
            const body = (await res.json()) as RateLimitedBody;
            assertEnvelope(body, 429, "too_many_requests");
            assert.deepEqual(Object.keys(body).sort(), ["errors", "rate_limit", "request_id", "status", "type"]);
            assert.equal(body.errors[0].code, "too_many_requests");
            const { name, limit, remaining, retry_after } = body.rate_limit as RateLimitedBody["rate_limit"] & {
                name: unknown;
                limit: unknown;
                remaining: unknown;
            };
            assert.equal(typeof name, "string");
            assert.equal(limit, 3);
            assert.equal(remaining, 0);
            // "Thu, 17 Apr 2025 11:17:18 UTC", as the docs write it; the header holds the same date
            // (incident.io's client parses it with RFC1123).
            assert.match(retry_after, /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} UTC$/);
            assert.equal(res.headers.get("retry-after"), retry_after);
            const wait = Date.parse(retry_after) - Date.now();
            assert.ok(wait > 0 && wait <= 61_000, `retry in ${wait} ms`);
            // lifting the limit at runtime lets requests through again
            emu.rateLimitPerMinute = undefined;
            assert.equal((await call(emu, "GET", "/v2/alert_routes")).status, 200);
        } finally {
            await emu.close();
        }
    });
});

describe("faults", () => {
    let emu: IncidentIoEmulator;
    before(async () => {
        emu = await IncidentIoEmulator.start();
    });
    after(() => emu.close());

    test("status faults match method and path, apply `times` times, then are consumed", async () => {
        emu.inject({ kind: "status", status: 503, method: "GET", path: "/v2/alert_routes", times: 2 });
        emu.inject({ kind: "status", status: 409, method: "POST", body: { custom: true }, headers: { "x-extra": "1" } });
        for (let i = 0; i < 2; i++) {
            const res = await call(emu, "GET", "/v2/alert_routes");
            assert.equal(res.status, 503);
            assertEnvelope(await res.json(), 503, "service_unavailable");
        }
        assert.equal((await call(emu, "GET", "/v2/alert_routes")).status, 200);
        const conflict = await call(emu, "POST", "/v2/alert_routes", { body: routePayload() });
        assert.equal(conflict.status, 409);
        assert.equal(conflict.headers.get("x-extra"), "1");
        assert.deepEqual(await conflict.json(), { custom: true });
        assert.equal(emu.routes().length, 0, "a status fault does not touch state");
        await create(emu);
        assert.deepEqual(
            emu.requests.map((r) => [r.method, r.path, r.status]),
            [
                ["GET", "/v2/alert_routes", 503],
                ["GET", "/v2/alert_routes", 503],
                ["GET", "/v2/alert_routes", 200],
                ["POST", "/v2/alert_routes", 409],
                ["POST", "/v2/alert_routes", 201],
            ],
        );
        emu.deleteInUi(emu.routes()[0].id);
        emu.resetLog();
    });

    test("path as RegExp, and clearFaults", async () => {
        emu.inject({ kind: "status", status: 500, path: /^\/v2\/alert_sources\// });
        assert.equal((await call(emu, "GET", "/v2/alert_routes")).status, 200);
        assert.equal((await call(emu, "GET", "/v2/alert_sources/x")).status, 500);
        emu.inject({ kind: "status", status: 500 });
        emu.clearFaults();
        assert.equal((await call(emu, "GET", "/v2/alert_routes")).status, 200);
    });

    test("rate-limit faults: seconds, http-date, body-only", async () => {
        emu.inject({ kind: "rate-limit", retryAfter: "seconds", seconds: 3 });
        emu.inject({ kind: "rate-limit", retryAfter: "http-date", seconds: 2 });
        emu.inject({ kind: "rate-limit", retryAfter: "body-only" });

        const a = await call(emu, "GET", "/v2/alert_routes");
        assert.equal(a.status, 429);
        assert.equal(a.headers.get("retry-after"), "3");
        assertEnvelope(await a.json(), 429, "too_many_requests");

        const b = await call(emu, "GET", "/v2/alert_routes");
        assert.equal(b.status, 429);
        const date = Date.parse(b.headers.get("retry-after") ?? "");
        assert.ok(!Number.isNaN(date) && date > Date.now() - 1000);
        await b.json();

        const c = await call(emu, "GET", "/v2/alert_routes");
        assert.equal(c.status, 429);
        assert.equal(c.headers.get("retry-after"), null);
        const body = (await c.json()) as RateLimitedBody;
        assert.ok(!Number.isNaN(Date.parse(body.rate_limit.retry_after)));
    });

    test("reset-before-processing: the client sees a broken connection, nothing changes", async () => {
        emu.inject({ kind: "reset-before-processing", method: "POST" });
        await assert.rejects(call(emu, "POST", "/v2/alert_routes", { body: routePayload("Reset before") }));
        assert.equal(emu.routes().length, 0);
        assert.equal(emu.count("POST", "/v2/alert_routes"), 1);
        assert.equal(emu.requests.at(-1)?.status, 0);
    });

    test("reset-after-processing: the route IS created, but the client gets no answer", async () => {
        emu.inject({ kind: "reset-after-processing", method: "POST" });
        await assert.rejects(call(emu, "POST", "/v2/alert_routes", { body: routePayload("Reset after") }));
        assert.deepEqual(
            emu.routes().map((r) => r.name),
            ["Reset after"],
        );
        emu.deleteInUi(emu.routes()[0].id);
    });

    test("delay (processing first): the client times out, yet the change was applied", async () => {
        emu.inject({ kind: "delay", ms: 300, method: "POST" });
        await assert.rejects(call(emu, "POST", "/v2/alert_routes", { body: routePayload("Slow"), signal: AbortSignal.timeout(50) }));
        assert.deepEqual(
            emu.routes().map((r) => r.name),
            ["Slow"],
        );
        emu.deleteInUi(emu.routes()[0].id);

        emu.inject({ kind: "delay", ms: 100 });
        const started = Date.now();
        const res = await call(emu, "GET", "/v2/alert_routes");
        assert.equal(res.status, 200);
        assert.ok(Date.now() - started >= 90);
    });

    test("delay with process: false: held before processing; dropped if the client gives up", async () => {
        emu.inject({ kind: "delay", ms: 150, process: false, method: "POST" });
        await assert.rejects(call(emu, "POST", "/v2/alert_routes", { body: routePayload("Never"), signal: AbortSignal.timeout(30) }));
        assert.equal(emu.routes().length, 0);
        await sleep(250);
        assert.equal(emu.routes().length, 0, "an abandoned request is never applied");

        emu.inject({ kind: "delay", ms: 50, process: false, method: "POST" });
        const created = await create(emu, routePayload("Eventually"));
        assert.equal(emu.route(created.id)?.name, "Eventually");
        emu.deleteInUi(created.id);
    });

    test("malformed-json: 200 with truncated JSON, state applied unless process: false", async () => {
        emu.inject({ kind: "malformed-json", method: "POST" });
        const res = await call(emu, "POST", "/v2/alert_routes", { body: routePayload("Garbled") });
        assert.equal(res.status, 200);
        await assert.rejects(res.json());
        assert.deepEqual(
            emu.routes().map((r) => r.name),
            ["Garbled"],
        );
        emu.deleteInUi(emu.routes()[0].id);

        emu.inject({ kind: "malformed-json", method: "POST", process: false });
        const res2 = await call(emu, "POST", "/v2/alert_routes", { body: routePayload("Garbled 2") });
        assert.equal(await res2.text(), '{"alert_route": ');
        assert.equal(emu.routes().length, 0);
    });

    test("ui-edit: the route changes in the UI just before the request is handled", async () => {
        const { id } = await create(emu, routePayload("Original"));
        emu.inject({ kind: "ui-edit", method: "PUT" });
        const res = await call(emu, "PUT", `/v2/alert_routes/${id}`, { body: updateBody(2) });
        assert.equal(res.status, 422, "the client's version is now stale");
        const body = (await res.json()) as ErrorEnvelope;
        assert.equal(body.errors[0].source!.field, "version");
        assert.match(body.errors[0].message, /\(2\)/);
        assert.equal(emu.route(id)?.name, "Original (edited in UI)");
        assert.equal(emu.route(id)?.version, 2);

        emu.inject({ kind: "ui-edit", method: "GET", routeId: id, mutate: (r) => void (r.enabled = false) });
        const show = (await (await call(emu, "GET", "/v2/alert_routes")).json()) as ListBody;
        assert.equal(show.alert_routes.find((r) => r.id === id)!.enabled, false);
        assert.equal(emu.route(id)?.version, 3);
        emu.deleteInUi(id);
    });

    test("ui-edit: a source or attribute named in the path is renamed in the UI first; its id, URL and token stay", async () => {
        const sourceId = "01HSRC00000000000000UIED1T";
        emu.addAlertSource({ id: sourceId, name: "Edited source", source_type: "http", secret_token: "ui-edit-token" });
        const sourceBefore = emu.alertSource(sourceId)!;
        emu.inject({ kind: "ui-edit", method: "GET", path: `/v2/alert_sources/${sourceId}` });
        const shown = (await (await call(emu, "GET", `/v2/alert_sources/${sourceId}`)).json()) as { alert_source: { name: string } };
        assert.equal(shown.alert_source.name, "Edited source (edited in UI)", "edited before the request is handled");
        const sourceAfter = emu.alertSource(sourceId)!;
        assert.deepEqual(
            [sourceAfter.id, sourceAfter.alert_events_url, sourceAfter.secret_token],
            [sourceBefore.id, sourceBefore.alert_events_url, sourceBefore.secret_token],
        );
        emu.deleteAlertSourceInUi(sourceId);

        const attributeId = "01HATTR0000000000000UIED1T";
        emu.addAlertAttribute({ id: attributeId, name: "team", type: "String", array: false, required: false });
        emu.inject({ kind: "ui-edit", method: "PUT", path: `/v2/alert_attributes/${attributeId}` });
        const put = await call(emu, "PUT", `/v2/alert_attributes/${attributeId}`, { body: { name: "team", type: "String", array: false } });
        assert.equal(put.status, 200, "no version: the PUT is applied over the edit");
        assert.equal(emu.alertAttribute(attributeId)!.name, "team");
        emu.inject({ kind: "ui-edit", method: "GET", path: `/v2/alert_attributes/${attributeId}` });
        await call(emu, "GET", `/v2/alert_attributes/${attributeId}`);
        assert.equal(emu.alertAttribute(attributeId)!.name, "team (edited in UI)");
        emu.deleteAlertAttributeInUi(attributeId);
        assert.equal(emu.alertAttribute(attributeId), undefined);

        // A path that names nothing (the validate action, the claim) edits nothing.
        emu.inject({ kind: "ui-edit", method: "POST", path: "/v2/alert_sources/actions/validate" });
        assert.equal((await call(emu, "POST", "/v2/alert_sources/actions/validate", { body: {} })).status, 422);
    });

    test("onBetween hook runs before each handled request", async () => {
        const seen: string[] = [];
        emu.onBetween = (r) => void seen.push(`${r.method} ${r.path}`);
        try {
            await call(emu, "GET", "/v2/alert_routes?page_size=5");
            assert.deepEqual(seen, ["GET /v2/alert_routes"]);
        } finally {
            emu.onBetween = undefined;
        }
    });
});

describe("latency and concurrency", () => {
    test("latency delays responses without serialising them; peakConcurrency tracks it", async () => {
        const emu = await IncidentIoEmulator.start({ latencyMs: 150 });
        try {
            const started = Date.now();
            const results = await Promise.all(Array.from({ length: 6 }, () => call(emu, "GET", "/v2/alert_routes")));
            const elapsed = Date.now() - started;
            assert.ok(results.every((r) => r.status === 200));
            await Promise.all(results.map((r) => r.arrayBuffer()));
            assert.ok(elapsed >= 140, `elapsed ${elapsed}`);
            assert.ok(elapsed < 600, `requests ran concurrently (elapsed ${elapsed})`);
            assert.equal(emu.peakConcurrency, 6);
            emu.resetLog();
            assert.equal(emu.peakConcurrency, 0);
            assert.equal(emu.requests.length, 0);
            emu.latencyMs = 0;
            const t = Date.now();
            await (await call(emu, "GET", "/v2/alert_routes")).arrayBuffer();
            assert.ok(Date.now() - t < 140);
        } finally {
            await emu.close();
        }
    });

    test("close() destroys open keep-alive sockets and pending delayed replies", async () => {
        const emu = await IncidentIoEmulator.start();
        emu.inject({ kind: "delay", ms: 60_000 });
        const pending = call(emu, "GET", "/v2/alert_routes");
        await sleep(50);
        const started = Date.now();
        await emu.close();
        await assert.rejects(pending);
        assert.ok(Date.now() - started < 1000);
    });
});

describe("alert sources and managed resources", () => {
    let emu: IncidentIoEmulator;
    before(async () => {
        emu = await IncidentIoEmulator.start();
    });
    after(() => emu.close());

    test("GET /v2/alert_sources/{id} returns the source with its secret token", async () => {
        emu.addAlertSource({ id: "01HSRC0000000000000000000A", name: "Alertmanager", source_type: "alertmanager", secret_token: "s3cr3t" });
        const res = await call(emu, "GET", "/v2/alert_sources/01HSRC0000000000000000000A");
        assert.equal(res.status, 200);
        const body = (await res.json()) as { alert_source: AlertSourceV2 };
        specValidator("AlertSourcesShowResultV2", body);
        assert.equal(body.alert_source.secret_token, "s3cr3t");
        assert.equal(body.alert_source.source_type, "alertmanager");
        assert.match(body.alert_source.alert_events_url!, /01HSRC0000000000000000000A$/);
        assert.equal((await call(emu, "GET", "/v2/alert_sources/unknown")).status, 404);
    });

    test("POST /v2/managed_resources validates and upserts", async () => {
        const payload = { resource_type: "alert_route", resource_id: "01HROUTE", annotations: { "incident.io/pulumi/stack": "dev" } };
        const res = await call(emu, "POST", "/v2/managed_resources", { body: payload });
        assert.equal(res.status, 200);
        const body = (await res.json()) as { managed_resource: ManagedResourceV2 };
        specValidator("ManagedResourcesCreateManagedResourceResultV2", body);
        assert.equal(body.managed_resource.managed_by, "external");

        const again = await call(emu, "POST", "/v2/managed_resources", {
            body: { ...payload, annotations: { "incident.io/pulumi/stack": "prod" } },
        });
        assert.equal(again.status, 200);
        assert.deepEqual(emu.managedResources(), [
            { resource_type: "alert_route", resource_id: "01HROUTE", annotations: { "incident.io/pulumi/stack": "prod" } },
        ]);

        const bad = await call(emu, "POST", "/v2/managed_resources", { body: { ...payload, resource_type: "route" } });
        assert.equal(bad.status, 422);
        const err = (await bad.json()) as ErrorEnvelope;
        assert.equal(err.errors[0].source!.field, "resource_type");
    });
});
