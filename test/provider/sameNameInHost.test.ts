// A route about to be created (no adoptId) while incident.io already has a live route of its name:
// `up` would make a second route that receives the same alerts. Check says so at preview, through
// the real dynamic-provider host, with the exact command that adopts the live one; the stack's
// `sameNameLive: "error"` stops the preview instead. The live routes are listed once per run.
import assert from "node:assert/strict";
import { after, afterEach, before, beforeEach, describe, test } from "node:test";
import { ALERT_ROUTE_TYPE, alertRouteProvider } from "../../providers/incident-io/alertRoute";
import { IncidentIoEmulator, type CreatePayload } from "../../dev/emulator";
import { productionAlerts, minimalRoute } from "../fixtures/routes";
import { hostFor } from "../support/handlers";
import { type DynamicProviderHost, serializeProvider, UNKNOWN, urnFor } from "../../dev/host";

const API_KEY = "same-name-test-key";
const OWNER = { pulumiProject: "alert-routing", pulumiStack: "production", adoptIdConfigKey: "alert-routing:adopt.productionAlerts" };
const URN = urnFor("productionAlerts", ALERT_ROUTE_TYPE);
/** The list endpoint only: GET /v2/alert_routes (not /v2/alert_routes/<id>). */
const lists = (emulator: IncidentIoEmulator) => emulator.requests.filter((r) => r.method === "GET" && r.path === "/v2/alert_routes").length;

describe("a new route beside a live route of the same name, in the real host", { timeout: 120_000 }, () => {
    let emulator: IncidentIoEmulator;
    let host: DynamicProviderHost;
    let providerText: string;
    let liveId: string;
    const news = (overrides: object = {}) => ({ ...productionAlerts(), ...OWNER, ...overrides, __provider: providerText });

    /** A run: the engine starts one host process per `pulumi preview`/`up`, and the host configures the provider once. */
    const startRun = (config: Record<string, string> = {}) =>
        hostFor(emulator, API_KEY, { "incident-io:requestTimeoutSeconds": "5", ...config });

    before(async () => {
        emulator = await IncidentIoEmulator.start({ apiKey: API_KEY });
        providerText = await serializeProvider(alertRouteProvider);
    });
    after(async () => {
        await emulator?.close();
    });
    beforeEach(async () => {
        for (const r of emulator.routes()) emulator.deleteInUi(r.id);
        liveId = emulator.seedRoute(productionAlerts() as unknown as CreatePayload).id;
        host = await startRun();
        emulator.resetLog();
    });
    afterEach(async () => {
        await host?.stop();
    });

    test("default (warn): the preview goes on, and says which live route and the exact command that adopts it", async () => {
        const logsBefore = host.logs.length;
        const checked = await host.check(URN, {}, news());
        assert.deepEqual(checked.failures, []);
        const said = await host.loggedSince(logsBefore, /already has a live route/);
        assert.match(said, /warning: incident\.io already has a live route named "Production Alerts"/);
        assert.ok(said.includes(liveId), said);
        assert.ok(
            said.includes(`pulumi config set --stack production --path 'alert-routing:adopt.productionAlerts' ${liveId}`),
            `the exact adoption command: ${said}`,
        );
        assert.equal(emulator.routes().length, 1, "check writes nothing");
    });

    test('sameNameLive "error": the preview stops on `name`, naming the id, the adoption command and the setting', async () => {
        const checked = await host.check(URN, {}, news({ sameNameLive: "error" }));
        assert.deepEqual(
            checked.failures.map((f) => f.property),
            ["name"],
        );
        const reason = checked.failures[0].reason;
        assert.match(reason, /Nothing was created/);
        assert.ok(reason.includes(`pulumi config set --stack production --path 'alert-routing:adopt.productionAlerts' ${liveId}`), reason);
        assert.ok(reason.includes("pulumi config set --stack production 'alert-routing:sameNameLiveRoute' warn"), reason);
        assert.equal(emulator.count("POST"), 0);
    });

    test("a name no live route has: no warning, no failure", async () => {
        const logsBefore = host.logs.length;
        const checked = await host.check(URN, {}, news({ name: "A route nobody made yet", sameNameLive: "error" }));
        assert.deepEqual(checked.failures, []);
        assert.doesNotMatch(host.logs.slice(logsBefore).join("\n"), /already has a live route/);
    });

    test("one list per run, however many new routes; none for routes in the state, adoptions or unknown names", async () => {
        for (const name of ["New route A", "New route B", "Production Alerts", "New route C"]) {
            await host.check(urnFor(name, ALERT_ROUTE_TYPE), {}, news({ name }));
        }
        assert.equal(lists(emulator), 1, "the live routes are listed once for the whole run");
        assert.equal(emulator.count(), 1, "and nothing else is asked");

        // The next run (a host process of its own) lists again.
        await host.stop();
        host = await startRun();
        emulator.resetLog();
        const inState = { ...productionAlerts(), ...OWNER, __provider: providerText };
        await host.check(URN, inState, news()); // already in the state: an update, never a duplicate
        await host.check(URN, {}, news({ name: UNKNOWN })); // not known yet during preview
        assert.equal(emulator.count(), 0, "no request for a route in the state or a name not known yet");
        await host.check(URN, {}, news({ adoptId: liveId })); // adoption reads that route instead
        assert.equal(lists(emulator), 0);
        await host.check(URN, {}, news());
        assert.equal(lists(emulator), 1);
    });

    test("two live routes of the name: both ids, one command for each", async () => {
        const second = emulator.seedRoute(productionAlerts() as unknown as CreatePayload).id; // before the run's first check
        const checked = await host.check(URN, {}, news({ sameNameLive: "error" }));
        const reason = checked.failures[0]?.reason ?? "";
        assert.match(reason, /2 live routes named "Production Alerts"/);
        for (const id of [liveId, second]) assert.ok(reason.includes(`--path 'alert-routing:adopt.productionAlerts' ${id}`), reason);
    });

    test('the list fails: "error" stops on `name` (nothing created, how to go on); "warn" warns once and goes on', async () => {
        // A 503 on every try: the client's retries (one here, to keep the test short) are spent, the list is an Error for the run.
        const oneRetry = { "incident-io:maxRetries": "1" };
        await host.stop();
        host = await startRun(oneRetry);
        emulator.inject({ method: "GET", path: /^\/v2\/alert_routes$/, kind: "status", status: 503, times: 100 });
        const checked = await host.check(URN, {}, news({ sameNameLive: "error" }));
        assert.deepEqual(
            checked.failures.map((f) => f.property),
            ["name"],
        );
        const reason = checked.failures[0].reason;
        assert.match(reason, /could not list the live routes to make sure none is named "Production Alerts" \(.*503/s);
        assert.match(reason, /Nothing was created/);
        assert.ok(reason.includes("`pulumi preview --stack production` again"), reason);
        assert.ok(reason.includes("pulumi config set --stack production 'alert-routing:sameNameLiveRoute' warn"), reason);
        assert.equal(emulator.count("POST"), 0);

        // "warn" after "error" in the same run: still said (once), though the run's first check spent the list.
        let logsBefore = host.logs.length;
        assert.deepEqual((await host.check(urnFor("New route Z", ALERT_ROUTE_TYPE), {}, news({ name: "New route Z" }))).failures, []);
        assert.match(
            await host.loggedSince(logsBefore, /could not list/),
            /warning: could not list the live routes .*not checked in this run/,
        );

        // Staging's "warn", in a run of its own: the preview goes on, and says so once for the run.
        await host.stop();
        host = await startRun(oneRetry);
        logsBefore = host.logs.length;
        for (const name of ["Production Alerts", "New route A"]) {
            const warned = await host.check(urnFor(name, ALERT_ROUTE_TYPE), {}, news({ name }));
            assert.deepEqual(warned.failures, [], "warn: the preview goes on");
        }
        const said = await host.loggedSince(logsBefore, /could not list/);
        assert.equal(said.match(/warning: could not list the live routes .*not checked in this run/g)?.length, 1, said);
        assert.equal(emulator.count("POST"), 0);
        emulator.clearFaults();
    });

    test("a bad sameNameLive value is refused by name before any request", async () => {
        const checked = await host.check(URN, {}, news({ ...minimalRoute(), sameNameLive: "loud" }));
        assert.deepEqual(
            checked.failures.map((f) => f.property),
            ["sameNameLive"],
        );
        assert.equal(emulator.count(), 0);
    });
});
