// The AlertRoute provider as `pulumi up` / `refresh` / `destroy` run it: serialized the way the
// SDK serializes it, inside the real dynamic-provider host, over gRPC, against the emulator.
import assert from "node:assert/strict";
import * as crypto from "node:crypto";
import { after, before, describe, test } from "node:test";
import { ALERT_ROUTE_TYPE, alertRouteProvider } from "../../providers/incident-io/alertRoute";
import type { AlertRouteSpec } from "../../providers/incident-io/types";
import { INCIDENT_IO_ID } from "../../providers/incident-io/validate";
import { IncidentIoEmulator } from "../../dev/emulator";
import { minimalRoute, productionAlerts } from "../fixtures/routes";
import type { HostRpcError } from "../../dev/host";
import { hostFor } from "../support/handlers";
import { type DynamicProviderHost, serializeProvider, UNKNOWN, urnFor } from "../../dev/host";

const API_KEY_CANARY = `canary-key-${crypto.randomBytes(8).toString("hex")}`;

describe("AlertRoute in the real dynamic-provider host", { timeout: 120_000 }, () => {
    let emulator: IncidentIoEmulator;
    let host: DynamicProviderHost;
    let providerText: string;
    const urn = urnFor("production-alerts", ALERT_ROUTE_TYPE);
    const transcript: unknown[] = []; // everything the engine would store or print

    before(async () => {
        emulator = await IncidentIoEmulator.start({ apiKey: API_KEY_CANARY });
        const provider = alertRouteProvider; // the SDK serializes `() => provider`
        providerText = await serializeProvider(provider);
        host = await hostFor(emulator, API_KEY_CANARY, { "incident-io:requestTimeoutSeconds": "5" });
    });

    after(async () => {
        await host?.stop();
        await emulator?.close();
    });

    const news = (spec: object) => ({ ...spec, __provider: providerText });

    test("__provider is a small shim: no handler code inlined, dependencies by require, no key", () => {
        // The shim plus the checkout's path it falls back to; inlined handlers would be hundreds of kilobytes.
        assert.ok(providerText.length < 5 * 1024, `__provider is ${providerText.length} bytes`);
        assert.ok(!providerText.includes(API_KEY_CANARY));
        assert.match(providerText, /file: "providers\/incident-io\/handlers", exportName: "alertRouteHandlers"/);
        assert.match(providerText, /require\(handlers\)/);
        assert.doesNotMatch(providerText, /function canonical|class IncidentIoClient|undici/, "handler code and undici are not copied in");
    });

    test("up, refresh, preview, update, UI edit, conflict, refresh, update, destroy", async () => {
        // pulumi up: Check then Create.
        const checked = await host.check(urn, {}, news(productionAlerts()));
        assert.deepEqual(checked.failures, []);
        const created = await host.create(urn, checked.inputs);
        transcript.push(checked, created);
        assert.match(created.id, INCIDENT_IO_ID);
        assert.equal(created.properties.version, 1);
        assert.equal((created.properties.route as AlertRouteSpec).name, "Production Alerts");
        assert.equal(created.properties.__provider, providerText);
        assert.equal(emulator.routes().length, 1);
        assert.equal(emulator.managedResources().length, 1);

        // pulumi refresh: Read, one GET, nothing changed.
        emulator.resetLog();
        const refreshed = await host.read(created.id, urn, created.properties, checked.inputs);
        transcript.push(refreshed);
        assert.equal(refreshed.id, created.id);
        assert.equal(emulator.count(), 1);

        // pulumi preview: Check + Diff, no API request, no change.
        emulator.resetLog();
        const again = await host.check(urn, checked.inputs, news(productionAlerts()));
        assert.equal((await host.diff(created.id, urn, refreshed.properties, again.inputs)).changes, "none");
        assert.equal(emulator.count(), 0, "a preview with no change makes no request");

        // A preview with a value not known yet is a possible change, not an error.
        const unknown = await host.check(urn, checked.inputs, news({ ...productionAlerts(), name: UNKNOWN }));
        assert.deepEqual(unknown.failures, []);
        assert.notEqual((await host.diff(created.id, urn, refreshed.properties, unknown.inputs)).changes, "none");

        // pulumi up with a change: GET + PUT (version + 1); the claim is recorded, not repeated.
        emulator.resetLog();
        const renamed = await host.check(urn, checked.inputs, news({ ...productionAlerts(), name: "Production Alerts (critical)" }));
        assert.equal((await host.diff(created.id, urn, refreshed.properties, renamed.inputs)).changes, "some");
        const updated = await host.update(created.id, urn, refreshed.properties, renamed.inputs);
        transcript.push(updated);
        assert.equal(updated.properties.version, 2);
        assert.deepEqual(
            emulator.requests.map((r) => r.method),
            ["GET", "PUT"],
        );

        // Someone edits the route in the UI; the next up refuses to overwrite it.
        emulator.editInUi(created.id, (r) => {
            r.enabled = false;
        });
        const back = await host.check(urn, renamed.inputs, news(productionAlerts()));
        await assert.rejects(host.update(created.id, urn, updated.properties, back.inputs), (e: HostRpcError) => {
            assert.match(e.message, /changed outside Pulumi.*changed: enabled.*pulumi refresh/s);
            transcript.push(e.message);
            return true;
        });
        assert.equal(emulator.route(created.id)!.enabled, false, "the UI edit is intact");

        // pulumi refresh shows the edit; the next up applies the code's version.
        const afterEdit = await host.read(created.id, urn, updated.properties, renamed.inputs);
        assert.equal((afterEdit.properties.route as AlertRouteSpec).enabled, false);
        assert.equal((await host.diff(created.id, urn, afterEdit.properties, back.inputs)).changes, "some");
        const reapplied = await host.update(created.id, urn, afterEdit.properties, back.inputs);
        assert.equal(reapplied.properties.version, 4);
        assert.equal(emulator.route(created.id)!.enabled, true);

        // In this same run the engine only deletes this id as the original of a replacement that stopped before its
        // delete (the program's resource holds it: it was just diffed). That DELETE would take the live route away.
        emulator.resetLog();
        await host.delete(created.id, urn, reapplied.properties);
        assert.equal(emulator.count("DELETE"), 0, "no DELETE of an id a resource of this run holds");
        assert.ok(emulator.route(created.id), "the live route stays");
        // The host's stderr arrives on its own stream: wait for the line (the route check above is the guard's proof).
        const spared = `not deleting alert route "Production Alerts" (${created.id}): a resource of this stack holds it`;
        const said = await host.loggedSince(0, spared);
        assert.ok(said.includes(spared), said);

        // pulumi destroy is a run of its own (a new host process): it deletes; then a refresh finds it gone.
        const destroyHost = await hostFor(emulator, API_KEY_CANARY, { "incident-io:requestTimeoutSeconds": "5" });
        try {
            await destroyHost.delete(created.id, urn, reapplied.properties);
        } finally {
            await destroyHost.stop();
        }
        assert.equal(emulator.routes().length, 0);
        const gone = await host.read(created.id, urn, reapplied.properties, back.inputs);
        assert.equal(gone.id, "");
    });

    test("check failures travel back with their property paths", async () => {
        const bad = await host.check(urn, {}, news({ ...minimalRoute(), alert_sources: [] }));
        assert.deepEqual(
            bad.failures.map((f) => f.property),
            ["alert_sources"],
        );
    });

    test("the API key appears nowhere: outputs, errors, host logs", async () => {
        await host.stop(); // logs are complete once the host has exited
        const everything = JSON.stringify(transcript) + host.logs.join("\n");
        assert.ok(transcript.length >= 5);
        assert.ok(!everything.includes(API_KEY_CANARY), "canary leaked");
    });
});
