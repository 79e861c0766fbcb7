// The managed-by-code marker (the "claim": POST /v2/managed_resources, which makes the dashboard show
// the route as managed by this stack and lock it) removed in the dashboard, through the real
// dynamic-provider host against the emulator: the refresh sees the route was edited (the dashboard
// allows that only once the marker is removed), and the next `up` restores the marker.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { ALERT_ROUTE_TYPE, alertRouteProvider } from "../../providers/incident-io/alertRoute";
import { IncidentIoEmulator } from "../../dev/emulator";
import { productionAlerts } from "../fixtures/routes";
import { hostFor } from "../support/handlers";
import { type DynamicProviderHost, serializeProvider, urnFor } from "../../dev/host";

const API_KEY = "claim-test-key";
const OWNER = { pulumiProject: "alert-routing", pulumiStack: "production" };
const URN = urnFor("productionAlerts", ALERT_ROUTE_TYPE);
const CLAIM = { "managed-by": "pulumi", "pulumi/project": "alert-routing", "pulumi/stack": "production" };

describe("a claim removed in the dashboard, in the real host", { timeout: 120_000 }, () => {
    let emulator: IncidentIoEmulator;
    let host: DynamicProviderHost;
    let providerText: string;
    const program = (overrides: object = {}) => ({ ...productionAlerts(), ...OWNER, ...overrides, __provider: providerText });
    const claimOf = (id: string) => emulator.managedResources().find((m) => m.resource_type === "alert_route" && m.resource_id === id);

    before(async () => {
        emulator = await IncidentIoEmulator.start({ apiKey: API_KEY });
        providerText = await serializeProvider(alertRouteProvider);
        host = await hostFor(emulator, API_KEY, { "incident-io:requestTimeoutSeconds": "5" });
    });
    after(async () => {
        await host?.stop();
        await emulator?.close();
    });
    beforeEach(() => {
        for (const r of emulator.routes()) emulator.deleteInUi(r.id);
    });

    /** pulumi up of a new route: Check + Create; the route is claimed. */
    async function created(): Promise<{ id: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> }> {
        const checked = await host.check(URN, {}, program({ name: `Production Alerts ${Math.random()}` }));
        assert.deepEqual(checked.failures, []);
        const made = await host.create(URN, checked.inputs);
        assert.deepEqual(claimOf(made.id)?.annotations, CLAIM, "created and claimed");
        return { id: made.id, inputs: checked.inputs, outputs: made.properties };
    }

    test("marker removed and the route edited in the dashboard; the edit taken into code: refresh, then up restores the marker", async () => {
        const { id, inputs, outputs } = await created();
        emulator.removeClaimInUi("alert_route", id);
        emulator.editInUi(id, (r) => {
            r.enabled = false;
        });

        // pulumi refresh: one GET; the outputs no longer record the claim, and the log says up restores it.
        emulator.resetLog();
        const logsBefore = host.logs.length;
        const refreshed = await host.read(id, URN, outputs, inputs);
        assert.deepEqual(
            [...new Set(emulator.requests.map((r) => r.method))],
            ["GET"],
            "a refresh only reads (the claim cannot be read back: nothing asks for it)",
        );
        assert.equal(emulator.count("POST"), 0);
        assert.equal(refreshed.properties.claimed, undefined, "the refresh no longer records the claim");
        assert.match(
            await host.loggedSince(logsBefore, /changed outside Pulumi/),
            /changed outside Pulumi.*`pulumi up --stack production` marks it as managed/,
        );

        // The dashboard edit is taken into code, so the definition matches the live route: the only change is the claim.
        const kept = await host.check(URN, refreshed.inputs ?? inputs, program({ name: inputs.name, enabled: false }));
        assert.equal((await host.diff(id, URN, refreshed.properties, kept.inputs)).changes, "some", "the missing claim is a change");
        emulator.resetLog();
        const up = await host.update(id, URN, refreshed.properties, kept.inputs);
        assert.deepEqual(
            emulator.requests.map((r) => `${r.method} ${r.path.replace(id, ":id")}`).filter((r) => r !== "GET /v1/identity"),
            ["GET /v2/alert_routes/:id", "POST /v2/managed_resources"],
            "no write to the route (it matches), one claim",
        );
        assert.deepEqual(claimOf(id)?.annotations, CLAIM, "the marker is back");
        assert.deepEqual(up.properties.claimed, CLAIM, "and recorded");

        // The next preview: nothing left to do, no request.
        emulator.resetLog();
        const again = await host.check(URN, kept.inputs, program({ name: inputs.name, enabled: false }));
        assert.equal((await host.diff(id, URN, up.properties, again.inputs)).changes, "none");
        assert.equal(emulator.count(), 0);
    });

    test("the code's definition written back over the dashboard edit claims again in the same up", async () => {
        const { id, inputs, outputs } = await created();
        emulator.removeClaimInUi("alert_route", id);
        emulator.editInUi(id, (r) => {
            r.enabled = false;
        });
        const refreshed = await host.read(id, URN, outputs, inputs);
        const back = await host.check(URN, refreshed.inputs ?? inputs, program({ name: inputs.name }));
        emulator.resetLog();
        const up = await host.update(id, URN, refreshed.properties, back.inputs);
        assert.deepEqual(
            emulator.requests.map((r) => r.method + " " + r.path.replace(id, ":id")).filter((r) => r !== "GET /v1/identity"),
            ["GET /v2/alert_routes/:id", "PUT /v2/alert_routes/:id", "POST /v2/managed_resources"],
        );
        assert.equal(emulator.route(id)!.enabled, true);
        assert.deepEqual(claimOf(id)?.annotations, CLAIM);
        assert.deepEqual(up.properties.claimed, CLAIM);
    });

    test("a refresh with no change outside Pulumi keeps the claim: no extra request on the next up", async () => {
        const { id, inputs, outputs } = await created();
        const refreshed = await host.read(id, URN, outputs, inputs);
        assert.deepEqual(refreshed.properties.claimed, CLAIM);
        const same = await host.check(URN, inputs, program({ name: inputs.name }));
        emulator.resetLog();
        assert.equal((await host.diff(id, URN, refreshed.properties, same.inputs)).changes, "none");
        assert.equal(emulator.count(), 0);
    });
});
