// v3 settings (issue 17): incident.io's /v3/alert_routes serves the same routes with settings v2
// cannot express. A route holding any is never written through v2 (what a v2 PUT does to them is
// not documented; the emulator assumes the worst), the preview says which and why, the v3 view is
// read only when the stack's record of it is stale, and an organisation not moved to v3 is probed
// once per process, not once per route. The request floors stay: refresh N GETs, update GET + PUT.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { IncidentIoEmulator, type CreatePayload } from "../../dev/emulator";
import type { AlertRouteInputs, AlertRouteOutputs } from "../../providers/incident-io/alertRoute";
import { forgetV3Availability } from "../../providers/incident-io/v3";
import { productionAlerts } from "../fixtures/routes";
import { handlersFor, TEST_API_KEY, type TestHandlers } from "../support/handlers";

/** Incident creation grouping alerts by title for 10 minutes: a window v3 can make "fixed". */
const GROUPING = {
    enabled: true,
    auto_decline_enabled: false,
    condition_groups: [],
    grouping_keys: [{ reference: "alert.title" }],
    grouping_window_seconds: 600,
    defer_time_seconds: 0,
};

type Outputs = AlertRouteOutputs & { v3?: { resets: string[] } };

let emulator: IncidentIoEmulator;

before(async () => {
    emulator = await IncidentIoEmulator.start({ apiKey: TEST_API_KEY });
});
after(() => emulator.close());
beforeEach(() => {
    emulator.v3 = "available";
    forgetV3Availability();
});

/** check + create, as `pulumi up` does for a new route. */
async function up(t: TestHandlers, name: string): Promise<{ id: string; inputs: AlertRouteInputs; outs: Outputs }> {
    const checked = await t.handlers.check({}, { ...productionAlerts(), name, incident_config: GROUPING });
    assert.deepEqual(checked.failures ?? [], []);
    const created = await t.handlers.create(checked.inputs!);
    return { id: created.id, inputs: checked.inputs!, outs: created.outs as Outputs };
}

const v3Gets = () => emulator.requests.filter((r) => r.method === "GET" && r.path.startsWith("/v3/")).length;

describe("v3 settings a v2 write could reset", () => {
    test("refresh reads the v3 view of a route changed outside Pulumi; the preview says the update will be refused; update writes nothing", async () => {
        const t = await handlersFor(emulator);
        const { id, inputs, outs } = await up(t, "v3 fixed window");
        assert.deepEqual(outs.v3, { resets: [] }, "a route we wrote holds no v3-only settings");
        emulator.editV3SettingsInUi(id, { window_type: "fixed", group_alerts_summary: [true] });

        emulator.resetLog();
        const read = await t.handlers.read(id, outs);
        const props = read.props as Outputs;
        assert.equal(emulator.count("GET", "/v2/alert_routes"), 1);
        assert.equal(v3Gets(), 1, "the changed route's v3 view is read");
        assert.equal(props.version, 2);
        assert.deepEqual(props.v3?.resets, [
            'grouping_config.default.window_type "fixed" (v2 groups in a rolling window)',
            "message_config.destinations[0].slack_targets.group_alerts_summary true (v2 has no group summary)",
        ]);
        assert.ok(
            t.logs.some((l) => /updates of it will not be written/.test(l) && l.includes('window_type "fixed"')),
            t.logs.join("\n"),
        );

        // The next preview: a change in code, and the line saying it will be refused, and why.
        const changed = { ...inputs, enabled: false };
        const diff = await t.handlers.diff(id, props, changed);
        assert.equal(diff.changes, true);
        assert.ok(
            t.logs.some(
                (l) => /this change will be refused/.test(l) && /group_alerts_summary true/.test(l) && /v2 update could reset them/.test(l),
            ),
            t.logs.join("\n"),
        );

        // pulumi up: GET, then no PUT; the v3 settings survive.
        emulator.resetLog();
        await assert.rejects(t.handlers.update(id, props, changed), (e: Error) => {
            assert.match(
                e.message,
                /holds v3 settings that the v2 API this provider writes cannot express: grouping_config.default.window_type "fixed"/,
            );
            assert.match(e.message, /nothing was written/);
            return true;
        });
        assert.equal(emulator.count("PUT"), 0);
        assert.equal(v3Gets(), 0, "the stored v3 record is current (same version): no second look");
        assert.deepEqual(emulator.route(id)?.enabled, true);
        assert.equal(
            (emulator.v3View(id) as { grouping_config: { default: { window_type: string } } }).grouping_config.default.window_type,
            "fixed",
        );
    });

    test("a route without v3-only settings is updated as before: GET + PUT, no /v3 request (the floor stays)", async () => {
        const t = await handlersFor(emulator);
        const { id, inputs, outs } = await up(t, "v3 plain");
        emulator.resetLog();
        const read = await t.handlers.read(id, outs);
        assert.equal(emulator.requests.length, 1, "refresh: one GET");
        const updated = await t.handlers.update(id, read.props as Outputs, { ...inputs, enabled: false });
        assert.deepEqual(
            emulator.requests.map((r) => `${r.method} ${r.path.replace(id, "{id}")}`),
            ["GET /v2/alert_routes/{id}", "GET /v2/alert_routes/{id}", "PUT /v2/alert_routes/{id}"],
        );
        assert.deepEqual((updated.outs as Outputs).v3, { resets: [] });
    });

    test("adoption of a route with v3-only settings: the preview says it will stop, create writes nothing", async () => {
        const t = await handlersFor(emulator);
        const live = emulator.seedRoute({ ...productionAlerts(), name: "v3 adopted", enabled: false } as CreatePayload);
        emulator.editV3SettingsInUi(live.id, { group_alerts_summary: [true] });
        const checked = await t.handlers.check({}, { ...productionAlerts(), name: "v3 adopted", adoptId: live.id });
        assert.deepEqual(checked.failures ?? [], []);
        assert.ok(
            t.logs.some((l) => /will stop before writing/.test(l) && /group_alerts_summary true/.test(l)),
            t.logs.join("\n"),
        );
        emulator.resetLog();
        await assert.rejects(t.handlers.create(checked.inputs!), /holds v3 settings .*group_alerts_summary true.*nothing was written/);
        assert.equal(emulator.count("PUT"), 0);
    });
});

describe("the v3 record makes no noise", () => {
    test("a dashboard edit that adds no v3 setting leaves the v3 output as it was (refresh --diff shows no v3 line)", async () => {
        const t = await handlersFor(emulator);
        const { id, outs } = await up(t, "v3 quiet edit");
        emulator.editInUi(id, (r) => void (r.enabled = false));
        emulator.resetLog();
        const props = (await t.handlers.read(id, outs)).props as Outputs;
        assert.equal(v3Gets(), 1, "the moved route's v3 view is read once");
        assert.equal(props.version, 2);
        assert.deepEqual(props.v3, outs.v3, "the record holds no version of its own: unchanged when no v3 setting appeared");
    });

    test("a route adopted without a write: refresh stays one GET and adds no v3 output; the first write reads v3 first", async () => {
        const t = await handlersFor(emulator);
        const live = emulator.seedRoute({ ...productionAlerts(), name: "v3 adopted quietly" } as CreatePayload);
        const checked = await t.handlers.check({}, { ...productionAlerts(), name: "v3 adopted quietly", adoptId: live.id });
        assert.deepEqual(checked.failures ?? [], []);
        emulator.resetLog();
        const created = await t.handlers.create(checked.inputs!);
        assert.deepEqual(
            emulator.requests.filter((r) => r.path.includes("alert_routes")).map((r) => `${r.method} ${r.path.replace(live.id, "{id}")}`),
            ["GET /v2/alert_routes/{id}"],
            "adoption without a write: one GET, no /v3 (the claim aside)",
        );
        assert.equal((created.outs as Outputs).v3, undefined, "unread: no record");
        emulator.editInUi(live.id, (r) => void (r.enabled = false));
        emulator.resetLog();
        const props = (await t.handlers.read(live.id, created.outs as Outputs)).props as Outputs;
        assert.equal(emulator.requests.length, 1, "refresh: one GET");
        assert.equal(props.v3, undefined);

        emulator.editV3SettingsInUi(live.id, { group_alerts_summary: [true] });
        emulator.resetLog();
        await assert.rejects(
            t.handlers.update(live.id, props, { ...checked.inputs!, enabled: true }),
            /group_alerts_summary true.*nothing was written/,
        );
        assert.equal(v3Gets(), 1, "read before the first write");
        assert.equal(emulator.count("PUT"), 0);
    });
});

describe("an organisation not moved to v3", () => {
    test("is probed once per process, not once per route; its routes are updated through v2", async () => {
        emulator.v3 = "not_migrated";
        const t = await handlersFor(emulator);
        const routes = [await up(t, "not migrated 1"), await up(t, "not migrated 2"), await up(t, "not migrated 3")];
        for (const r of routes) emulator.editInUi(r.id, (route) => void (route.name = `${route.name}`));
        emulator.resetLog();
        const reads = [];
        for (const r of routes) reads.push(await t.handlers.read(r.id, r.outs));
        assert.equal(emulator.count("GET", "/v2/alert_routes"), 3);
        assert.equal(v3Gets(), 1, "one probe for the process");
        assert.equal(emulator.requests.find((r) => r.path.startsWith("/v3/"))?.status, 403);
        // A second handlers instance in the same process (the host keeps one; tests make several) asks no more.
        const again = await handlersFor(emulator);
        const r0 = routes[0];
        await again.handlers.update(r0.id, reads[0].props as Outputs, { ...r0.inputs, enabled: false });
        assert.equal(v3Gets(), 1);
        assert.equal(emulator.count("PUT"), 1);
    });
});
