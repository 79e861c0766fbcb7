// AlertSource and AlertAttribute as `pulumi preview` / `up` / `refresh` run them: serialized as the SDK
// serializes them, inside the real dynamic-provider host, over gRPC, against the emulator seeded with
// the company's workspace (its sources as the dashboard holds them: literals re-encoded, expressions
// reordered, labels and read-only fields added).
import assert from "node:assert/strict";
import * as crypto from "node:crypto";
import { after, before, describe, test } from "node:test";
import { ALERT_ATTRIBUTE_TYPE, alertAttributeProvider } from "../../providers/incident-io/alertAttribute";
import { ALERT_SOURCE_TYPE, alertSourceProvider } from "../../providers/incident-io/alertSource";
import type { AlertSourceSpec } from "../../providers/incident-io/types";
import { IncidentIoEmulator } from "../../dev/emulator";
import { type DynamicProviderHost, serializeProvider, urnFor } from "../../dev/host";
import { ENVIRONMENTS } from "../../stack/routes";
import { attributesOwnedBy, sourcesOwnedBy } from "../../stack/sources";
import { richTextOf } from "../../stack/sourceParts";
import { hostFor } from "../support/handlers";
import { LIVE_IDS, seedWorkspace, SOURCE_TOKEN_CANARY } from "../../dev/seed/workspace";

const API_KEY = `canary-key-${crypto.randomBytes(8).toString("hex")}`;
const WRITES = (r: { method: string; path: string }) =>
    r.method !== "GET" &&
    (r.path.startsWith("/v2/alert_sources") || r.path.startsWith("/v2/alert_attributes")) &&
    !r.path.endsWith("/actions/validate");

describe("AlertSource and AlertAttribute in the real dynamic-provider host", { timeout: 180_000 }, () => {
    let emulator: IncidentIoEmulator;
    let host: DynamicProviderHost;
    let sourceProvider: string;
    let attributeProvider: string;
    /** Everything the engine would store in plain text or print: outputs without secret_token, inputs, failures. */
    const transcript: unknown[] = [];
    const adopted: Record<string, { id: string; properties: Record<string, unknown>; inputs: Record<string, unknown> }> = {};
    const attributeIds = LIVE_IDS.production.alertAttributes;

    before(async () => {
        emulator = await IncidentIoEmulator.start({ apiKey: API_KEY });
        seedWorkspace(emulator, { otherRoutes: 0, otherEscalationPaths: 0 });
        sourceProvider = await serializeProvider(alertSourceProvider);
        attributeProvider = await serializeProvider(alertAttributeProvider);
        host = await hostFor(emulator, API_KEY, { "incident-io:requestTimeoutSeconds": "5" });
    });

    after(async () => {
        await host?.stop();
        await emulator?.close();
    });

    const sourceUrn = (stack: string, key: string) => urnFor(`${stack}-${key}`, ALERT_SOURCE_TYPE);
    const sourceNews = (stack: string, key: string, spec: object) => ({
        ...spec,
        adoptId: (LIVE_IDS[stack as "production"].alertSources as Record<string, string>)[key],
        adoptIdConfigKey: `alert-routing:alertSources.${key}`,
        pulumiProject: "alert-routing",
        pulumiStack: stack,
        __provider: sourceProvider,
    });
    const withoutToken = (properties: Record<string, unknown>) => {
        const { secret_token: _secret, ...rest } = properties;
        return rest;
    };

    test('adopts every source and attribute of both stacks: preview says "writes nothing", up writes nothing', async (t) => {
        const perPhase: Record<string, number> = {};
        for (const stack of ENVIRONMENTS) {
            const rows = sourcesOwnedBy(stack);
            const attributes = attributesOwnedBy(stack);
            // pulumi preview: Check of each (one GET to preview the adoption), nothing written.
            emulator.resetLog();
            const checked: Record<string, Record<string, unknown>> = {};
            for (const row of attributes) {
                const urn = urnFor(`${stack}-${row.key}`, ALERT_ATTRIBUTE_TYPE);
                const news = {
                    ...row.spec,
                    adoptId: attributeIds[row.key],
                    adoptIdConfigKey: `alert-routing:alertAttributes.${row.key}`,
                    __provider: attributeProvider,
                };
                const result = await host.check(urn, {}, news);
                assert.deepEqual(result.failures, [], `${stack} ${row.key}`);
                checked[`attribute:${row.key}`] = result.inputs;
            }
            for (const row of rows) {
                const result = await host.check(sourceUrn(stack, row.key), {}, sourceNews(stack, row.key, row.spec(attributeIds)));
                assert.deepEqual(result.failures, [], `${stack} ${row.key}`);
                checked[row.key] = result.inputs;
                transcript.push(result);
            }
            perPhase[`${stack} preview`] = emulator.count();
            assert.equal(emulator.requests.filter(WRITES).length, 0, "a preview writes nothing");
            // (The host's first request of all is the key check, GET /v1/identity, once per process.)
            assert.equal(emulator.count("GET", "/v2/"), rows.length + attributes.length, "one GET per resource to preview its adoption");
            assert.equal(emulator.count("POST", "/v2/alert_sources/actions/validate"), 0, "no template changes, so none is validated");
            // pulumi up: Create adopts: GET, no PUT because the live source matches, then the claim (sources only).
            emulator.resetLog();
            for (const row of attributes) {
                const created = await host.create(urnFor(`${stack}-${row.key}`, ALERT_ATTRIBUTE_TYPE), checked[`attribute:${row.key}`]);
                assert.equal(created.id, attributeIds[row.key]);
            }
            for (const row of rows) {
                const created = await host.create(sourceUrn(stack, row.key), checked[row.key]);
                const liveId = (LIVE_IDS[stack].alertSources as Record<string, string>)[row.key];
                assert.equal(created.id, liveId, "adoption keeps the id");
                adopted[`${stack}:${row.key}`] = { ...created, inputs: checked[row.key] };
                transcript.push(withoutToken(created.properties));
                const live = emulator.alertSource(liveId)!;
                assert.equal(created.properties.alert_events_url, live.alert_events_url);
                if (live.secret_token)
                    assert.equal(created.properties.secret_token, `${SOURCE_TOKEN_CANARY}-${liveId}`, "the token is an output");
            }
            perPhase[`${stack} up`] = emulator.count();
            assert.deepEqual(
                emulator.requests.filter(WRITES).map((r) => `${r.method} ${r.path}`),
                [],
                "adoption of matching definitions writes no source and no attribute",
            );
            assert.equal(emulator.count("POST", "/v2/managed_resources"), rows.length, "each source is claimed once; attributes cannot be");
            assert.equal(emulator.count("GET", "/v2/"), rows.length + attributes.length);
        }
        const logs = host.logs.join("\n");
        assert.equal((logs.match(/writes nothing: the live source matches the definition/g) ?? []).length, 9, logs);
        assert.equal((logs.match(/writes nothing: the live attribute matches the definition/g) ?? []).length, 2, logs);
        t.diagnostic(`requests per phase: ${JSON.stringify(perPhase)}`);
    });

    test("a preview with no change makes no request; a refresh is one GET", async () => {
        const { id, properties, inputs } = adopted["production:alertmanager"];
        emulator.resetLog();
        const again = await host.check(
            sourceUrn("production", "alertmanager"),
            inputs,
            sourceNews("production", "alertmanager", sourcesOwnedBy("production")[0].spec(attributeIds)),
        );
        assert.deepEqual(again.failures, []);
        assert.equal((await host.diff(id, sourceUrn("production", "alertmanager"), properties, again.inputs)).changes, "none");
        assert.equal(emulator.count(), 0, "no request");
        const refreshed = await host.read(id, sourceUrn("production", "alertmanager"), properties, inputs);
        assert.equal(emulator.count(), 1);
        assert.deepEqual(refreshed.inputs, inputs, "no drift: the refreshed inputs are the definition");
    });

    test("a source_type change is refused at preview, naming the source and why, with no request", async () => {
        const { properties, inputs } = adopted["production:axiom"];
        emulator.resetLog();
        const row = sourcesOwnedBy("production").find((r) => r.key === "axiom")!;
        const result = await host.check(
            sourceUrn("production", "axiom"),
            inputs,
            sourceNews("production", "axiom", { ...row.spec(attributeIds), source_type: "http_custom" }),
        );
        transcript.push(result);
        assert.equal(emulator.count(), 0, "no request");
        assert.equal(result.failures.length, 1);
        assert.equal(result.failures[0].property, "source_type");
        assert.match(result.failures[0].reason, /alert source "Axiom".*"http".*"http_custom".*cannot change a source's type/);
        assert.match(result.failures[0].reason, /new id, alert events URL and secret token/);
        assert.ok(properties.alert_events_url);
    });

    test("a template edited in the dashboard shows after refresh and is written back (validated, then GET + PUT)", async (t) => {
        const key = "alertmanager";
        const urn = sourceUrn("production", key);
        const { id, properties, inputs } = adopted[`production:${key}`];
        const definition = sourcesOwnedBy("production")
            .find((r) => r.key === key)!
            .spec(attributeIds);
        emulator.editAlertSourceInUi(id, (p) => {
            p.template.title = richTextOf("payload.summary", "Summary");
            p.template.attributes = [];
        });

        // pulumi refresh: one GET; the drift comes back as inputs, so the next preview shows it.
        emulator.resetLog();
        const refreshed = await host.read(id, urn, properties, inputs);
        const phases: Record<string, number> = { refresh: emulator.count() };
        const refreshedTemplate = refreshed.inputs!.template as AlertSourceSpec["template"];
        assert.match(refreshedTemplate.title.literal!, /payload\.summary/);
        assert.deepEqual(refreshedTemplate.attributes, [], "the severity binding removed in the dashboard shows");
        assert.equal(refreshed.properties.secret_token, `${SOURCE_TOKEN_CANARY}-${id}`);

        // pulumi preview: the template differs from what the stack last saw, so incident.io validates it.
        emulator.resetLog();
        const checked = await host.check(urn, refreshed.inputs!, sourceNews("production", key, definition));
        assert.deepEqual(checked.failures, []);
        assert.equal((await host.diff(id, urn, refreshed.properties, checked.inputs)).changes, "some");
        phases.preview = emulator.count();
        assert.equal(emulator.count("POST", "/v2/alert_sources/actions/validate"), 1, "the changed template is validated");
        assert.equal(emulator.requests.filter(WRITES).length, 0);

        // pulumi up: GET + PUT, the source back to the definition; id, URL and token unchanged.
        emulator.resetLog();
        const updated = await host.update(id, urn, refreshed.properties, checked.inputs);
        phases.up = emulator.count();
        assert.equal(emulator.count("GET"), 1);
        assert.equal(emulator.count("PUT", `/v2/alert_sources/${id}`), 1);
        const live = emulator.alertSource(id)!;
        assert.match(JSON.stringify(live.template.title), /payload\.title/);
        assert.equal(live.template.attributes.length, 1);
        assert.equal(
            updated.properties.secret_token,
            `${SOURCE_TOKEN_CANARY}-${id}`,
            "the token is the same: the source was updated, not replaced",
        );
        transcript.push(withoutToken(updated.properties), checked);
        adopted[`production:${key}`] = { id, properties: updated.properties, inputs: checked.inputs };
        t.diagnostic(`dashboard edit written back, requests per phase: ${JSON.stringify(phases)}`);
    });

    test("an edit the stack has not seen stops the update (onConflict fail): nothing is written", async () => {
        const key = "grafanaCloud";
        const { id, properties, inputs } = adopted[`production:${key}`];
        emulator.editAlertSourceInUi(id, (p) => void (p.owning_team_ids = ["01J0TEAM000000000000000000"]));
        emulator.resetLog();
        const renamed = { ...inputs, name: "Grafana Cloud (prod)" };
        await assert.rejects(host.update(id, sourceUrn("production", key), properties, renamed), (e: Error) => {
            assert.match(
                e.message,
                /alert source "Grafana Cloud \(prod\)".*was changed outside Pulumi.*changed: owning_team_ids.*Nothing was written/,
            );
            return true;
        });
        assert.equal(emulator.count("PUT"), 0);
    });

    test("a template incident.io refuses fails the preview; a validate that cannot run only warns", async () => {
        const key = "checkly";
        const { properties, inputs } = adopted[`production:${key}`];
        const row = sourcesOwnedBy("production").find((r) => r.key === key)!;
        const broken = row.spec(attributeIds);
        broken.template.attributes = [
            { alert_attribute_id: "01J0N0SVCHATTR1BVTE0000000", binding: { value: { reference: 'expressions["nowhere"]' } } },
        ];
        emulator.resetLog();
        const refused = await host.check(sourceUrn("production", key), inputs, sourceNews("production", key, broken));
        assert.equal(emulator.count(), 1, "only the validate request");
        assert.equal(refused.failures[0]?.property, "template");
        assert.match(
            refused.failures[0].reason,
            /incident\.io refuses the template of alert source "Checkly \(Production\)".*no alert attribute with id 01J0N0SVCHATTR1BVTE0000000/,
        );

        emulator.inject({ kind: "status", method: "POST", path: "/v2/alert_sources/actions/validate", status: 503, times: 4 });
        const warned = await host.check(
            sourceUrn("production", key),
            inputs,
            sourceNews("production", key, {
                ...row.spec(attributeIds),
                name: "Checkly (prod)",
                template: { ...row.spec(attributeIds).template, is_private: true },
            }),
        );
        emulator.clearFaults();
        assert.deepEqual(warned.failures, []);
        assert.match(
            await host.loggedSince(0, /could not check the template/),
            /warning: could not check the template of alert source "Checkly \(prod\)"/,
        );
        assert.ok(properties);
    });

    test("a pasted secret_token is refused without repeating it", async () => {
        const row = sourcesOwnedBy("production").find((r) => r.key === "axiom")!;
        const token = `${SOURCE_TOKEN_CANARY}-${LIVE_IDS.production.alertSources.axiom}`;
        const result = await host.check(
            sourceUrn("production", "axiom-pasted"),
            {},
            { ...sourceNews("production", "axiom", row.spec(attributeIds)), secret_token: token },
        );
        assert.equal(result.failures[0]?.property, "secret_token");
        assert.ok(!JSON.stringify(result.failures).includes(token));
    });

    test("no source token outside the secret output: not in logs, failures, inputs or other outputs", async () => {
        await host.stop();
        const everything = JSON.stringify(transcript) + host.logs.join("\n");
        assert.ok(transcript.length > 10);
        assert.equal(everything.includes(SOURCE_TOKEN_CANARY), false, "a token canary leaked");
        assert.equal(everything.includes(API_KEY), false, "the API key leaked");
    });
});
