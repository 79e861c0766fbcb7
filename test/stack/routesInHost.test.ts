// Each stack's routes, exactly as the program declares them, through the real dynamic-provider
// host against the incident.io emulator: create, refresh and preview with no diff; adoption of
// live routes; and the Alertmanager source whose outputs the token path takes.
import * as assert from "node:assert/strict";
import * as crypto from "node:crypto";
import { after, before, describe, it } from "node:test";

import { ALERT_ROUTE_TYPE, alertRouteProvider } from "../../providers/incident-io/alertRoute";
import { ALERT_SOURCE_TYPE, alertSourceProvider, withDefaults, type AlertRouteSpec } from "../../providers/incident-io";
import { alertmanagerConfig } from "../../stack/alertmanagerConfig";
import { sourcesOwnedBy } from "../../stack/sources";
import { routeDefinitions, type Environment } from "../../stack/routes";
import { IncidentIoEmulator, type AlertSourcePayload } from "../../dev/emulator";
import { routeIdsOf, stackTestConfig } from "../support/stackHarness";
import { hostFor } from "../support/handlers";
import { type DynamicProviderHost, serializeProvider, urnFor } from "../../dev/host";

const API_KEY = `canary-key-${crypto.randomBytes(8).toString("hex")}`;
const TOKEN = `canary-token-${crypto.randomBytes(8).toString("hex")}`;
const ROUTE_TYPE = ALERT_ROUTE_TYPE;

for (const environment of ["staging", "production"] as const satisfies readonly Environment[]) {
    describe(`${environment} routes against the emulator`, { timeout: 180_000 }, () => {
        const ids = routeIdsOf(stackTestConfig(environment));
        const definitions = routeDefinitions(environment, ids);
        let emulator: IncidentIoEmulator;
        let host: DynamicProviderHost;
        let providerText: string;
        const transcript: unknown[] = [];

        before(async () => {
            emulator = await IncidentIoEmulator.start({ apiKey: API_KEY });
            const provider = alertRouteProvider; // the SDK serializes `() => provider`
            providerText = await serializeProvider(provider);
            host = await hostFor(emulator, API_KEY);
        });

        after(async () => {
            await host?.stop();
            await emulator?.close();
        });

        it("up, refresh, preview: every route created once, read back and unchanged", async () => {
            for (const { key, spec } of definitions) {
                const urn = urnFor(key, ROUTE_TYPE);
                const checked = await host.check(urn, {}, { ...spec, __provider: providerText });
                assert.deepEqual(checked.failures, [], key);
                const created = await host.create(urn, checked.inputs);
                const refreshed = await host.read(created.id, urn, created.properties, checked.inputs);
                assert.equal(refreshed.id, created.id);
                emulator.resetLog();
                const again = await host.check(urn, checked.inputs, { ...spec, __provider: providerText });
                assert.equal(
                    (await host.diff(created.id, urn, refreshed.properties, again.inputs)).changes,
                    "none",
                    `${key} shows a diff after refresh`,
                );
                assert.equal(emulator.count(), 0, "a preview without changes makes no request");
                assert.equal((refreshed.properties.route as AlertRouteSpec).name, spec.name);
                transcript.push(created, refreshed);
            }
            assert.deepEqual(
                emulator
                    .routes()
                    .map((r) => r.name)
                    .sort(),
                definitions.map((d) => d.spec.name).sort(),
            );
        });

        it("adopts live routes: no duplicates, the live route brought to the definition", async () => {
            const [first] = definitions;
            // As made in the dashboard: every field set.
            const same = emulator.seedRoute(withDefaults(first.spec) as never);
            // Same name (adoption refuses another route's), other settings changed in the dashboard.
            const drifted = emulator.seedRoute({ ...withDefaults(first.spec), enabled: !withDefaults(first.spec).enabled } as never);
            const before = emulator.routes().length;
            for (const live of [same, drifted]) {
                const urn = urnFor(`${first.key}-${live.id}`, ROUTE_TYPE);
                const checked = await host.check(urn, {}, { ...first.spec, adoptId: live.id, __provider: providerText });
                assert.deepEqual(checked.failures, []);
                const adopted = await host.create(urn, checked.inputs);
                assert.equal(adopted.id, live.id);
                const refreshed = await host.read(adopted.id, urn, adopted.properties, checked.inputs);
                assert.equal((await host.diff(adopted.id, urn, refreshed.properties, checked.inputs)).changes, "none");
                transcript.push(adopted);
            }
            assert.equal(emulator.routes().length, before, "adoption creates nothing");
            assert.equal(emulator.route(same.id)!.version, 1, "an identical live route is not rewritten");
            assert.equal(
                emulator.route(drifted.id)!.enabled,
                withDefaults(first.spec).enabled,
                "a drifted live route takes the definition",
            );
            assert.equal(emulator.route(drifted.id)!.version, 2);
        });

        it("the Alertmanager source, adopted through the host, gives the token path its URL and token from its outputs", async () => {
            const alertmanager = ids.alertSources.alertmanager!;
            const row = sourcesOwnedBy(environment).find((r) => r.key === "alertmanager")!;
            const spec = row.spec(ids.alertAttributes);
            for (const [key, id] of Object.entries(ids.alertAttributes)) emulator.addAlertAttribute({ id: id!, name: key });
            emulator.addAlertSource({ id: alertmanager, ...(spec as unknown as AlertSourcePayload), secret_token: TOKEN });
            const urn = urnFor(`source-alertmanager`, ALERT_SOURCE_TYPE);
            const news = { ...spec, adoptId: alertmanager, __provider: await serializeProvider(alertSourceProvider) };
            const checked = await host.check(urn, {}, news);
            assert.deepEqual(checked.failures, []);
            emulator.resetLog();
            const created = await host.create(urn, checked.inputs);
            assert.equal(created.id, alertmanager);
            assert.equal(emulator.count("PUT"), 0, "the definition matches the live source: nothing written");
            assert.equal(created.properties.secret_token, TOKEN);
            // What stack/program.ts does with these outputs: the URL into Alertmanager's config, checked first.
            const url = String(created.properties.alert_events_url);
            assert.equal(url, `https://api.incident.io/v2/alert_events/alertmanager/${alertmanager}`);
            const receiver = alertmanagerConfig(url).receivers.find((r) => r.incidentio_configs)!;
            assert.equal(receiver.incidentio_configs![0].url, url);
            transcript.push(checked, { ...created, properties: { ...created.properties, secret_token: "(secret output)" } });
        });

        it("leaves the API key nowhere in what the engine stores or prints", async () => {
            await host.stop();
            const everything = JSON.stringify(transcript) + host.logs.join("\n");
            assert.ok(transcript.length > definitions.length);
            assert.ok(!everything.includes(API_KEY));
        });
    });
}
