// What a user sees in the Pulumi CLI, with the engine's part played by test/support/engine.ts
// around the real dynamic-provider host: drift after a UI edit, a rename in code, a failed claim,
// nothing changed, and adoption that must not take another stack's route.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, beforeEach, describe, test } from "node:test";
import { ALERT_ROUTE_TYPE, alertRouteProvider } from "../../providers/incident-io/alertRoute";
import { IncidentIoEmulator, type CreatePayload } from "../../dev/emulator";
import type { AlertRouteSpec } from "../../providers/incident-io";
import { productionAlerts } from "../fixtures/routes";
import { EngineModel } from "../support/engine";
import { hostFor } from "../support/handlers";
import { type DynamicProviderHost, serializeProvider, urnFor } from "../../dev/host";
import { PROJECT_ROOT } from "../../dev/paths";

const API_KEY = "engine-test-key";
const URN = urnFor("productionAlerts", ALERT_ROUTE_TYPE);
/** What the AlertRoute class adds to every route's inputs. */
const OWNER = { pulumiProject: "alert-routing", pulumiStack: "production" };

describe("what the CLI shows, engine modelled around the real host", { timeout: 180_000 }, () => {
    let emulator: IncidentIoEmulator;
    let host: DynamicProviderHost;
    let providerText: string;
    const hosts: DynamicProviderHost[] = [];

    async function startHost(opts: { cwd?: string; config?: Record<string, string> } = {}): Promise<DynamicProviderHost> {
        const started = await hostFor(emulator, API_KEY, { "incident-io:requestTimeoutSeconds": "5", ...opts.config }, { cwd: opts.cwd });
        hosts.push(started);
        return started;
    }

    before(async () => {
        emulator = await IncidentIoEmulator.start({ apiKey: API_KEY });
        providerText = await serializeProvider(alertRouteProvider);
        host = await startHost({ config: { "incident-io:maxRetries": "0" } });
    });
    after(async () => {
        for (const h of hosts) await h.stop();
        await emulator?.close();
    });
    beforeEach(() => {
        emulator.clearFaults();
        for (const r of emulator.routes()) emulator.deleteInUi(r.id);
        emulator.resetLog();
    });

    const program = (overrides: object = {}) => ({ ...productionAlerts(), ...OWNER, ...overrides });

    test("nothing changed: refresh returns the stored inputs, preview shows no step, no request", async () => {
        const engine = new EngineModel(host, URN, providerText);
        assert.equal((await engine.up(program())).error, undefined);
        const stored = engine.state!.inputs;

        const refresh = await engine.refresh();
        assert.deepEqual(refresh.readInputs, stored, "read's inputs equal the stored ones");
        assert.deepEqual({ op: refresh.op, shortDiff: refresh.shortDiff, lines: refresh.lines }, { op: "same", shortDiff: "", lines: [] });

        emulator.resetLog();
        const preview = await engine.preview(program());
        assert.deepEqual({ op: preview.op, lines: preview.lines }, { op: "same", lines: [] });
        assert.equal(emulator.count(), 0);
    });

    test("a UI edit: refresh shows [diff: ~enabled] and, under --diff, the outputs that changed; the next preview what up writes back; up is GET + PUT", async () => {
        const engine = new EngineModel(host, URN, providerText);
        await engine.up(program());
        const id = engine.state!.id;
        // The dashboard lets a claimed route be edited only once its managed-by-code marker is removed.
        emulator.removeClaimInUi("alert_route", id);
        emulator.editInUi(id, (r) => {
            r.enabled = false;
        });

        const refresh = await engine.refresh();
        assert.equal(refresh.op, "update");
        assert.equal(refresh.shortDiff, "[diff: ~enabled]");
        // refresh --diff compares outputs (object_diff.go): the top-level copy, the route as incident.io holds it, the version.
        assert.deepEqual(
            refresh.lines.filter((line) => /^\s*~ /.test(line)).map((line) => line.trim().replace(/\s+:/, ":")),
            ["~ enabled: true => false", "~ route: {", "~ enabled: true => false", "~ version: 1 => 2"],
        );
        // Exactly the drifted field differs from the last applied definition.
        const { enabled, ...rest } = refresh.readInputs!;
        const { enabled: _was, ...restBefore } = (await new EngineModel(host, URN, providerText).preview(program())).checked;
        assert.equal(enabled, false);
        assert.deepEqual(rest, restBefore);

        const preview = await engine.preview(program());
        assert.equal(preview.op, "update");
        assert.equal(preview.shortDiff, "[diff: ~enabled]");
        assert.deepEqual(preview.lines, ["  ~ enabled          : false => true"]);

        emulator.resetLog();
        assert.equal((await engine.up(program())).error, undefined);
        // GET + PUT, and the claim the refresh found gone (an edit outside Pulumi) is made again.
        assert.deepEqual(
            emulator.requests.map((r) => `${r.method} ${r.path.replace(id, ":id")}`),
            ["GET /v2/alert_routes/:id", "PUT /v2/alert_routes/:id", "POST /v2/managed_resources"],
        );
        assert.equal(emulator.route(id)!.enabled, true);
        assert.equal((await engine.refresh()).op, "same");
    });

    test("a rename in code: the preview shows the name change, up is GET + PUT", async () => {
        const engine = new EngineModel(host, URN, providerText);
        await engine.up(program());
        const preview = await engine.preview(program({ name: "Production Alerts (critical)" }));
        assert.equal(preview.op, "update");
        assert.equal(preview.shortDiff, "[diff: ~name]");
        assert.deepEqual(preview.lines, ['  ~ name             : "Production Alerts" => "Production Alerts (critical)"']);
        emulator.resetLog();
        await engine.up(program({ name: "Production Alerts (critical)" }));
        assert.deepEqual(
            emulator.requests.map((r) => r.method),
            ["GET", "PUT"],
        );
        assert.equal(emulator.route(engine.state!.id)!.version, 2);
    });

    test("a rename in the dashboard taken into code: the same step keeps outputs that already hold the new name", async () => {
        // Without claims: a claimed route edited outside Pulumi is claimed again by the next up (an
        // update step), so only an unclaimed route reaches the same step this is about.
        const engine = new EngineModel(await startHost({ config: { "incident-io:claimManaged": "false" } }), URN, providerText);
        await engine.up(program());
        emulator.editInUi(engine.state!.id, (r) => {
            r.name = "Production Alerts (renamed in the dashboard)";
        });
        await engine.refresh();
        // The engine keeps a same step's outputs as they are: they must already be the live ones.
        const step = await engine.up(program({ name: "Production Alerts (renamed in the dashboard)" }));
        assert.equal(step.op, "same");
        assert.equal(engine.state!.outputs.name, "Production Alerts (renamed in the dashboard)");
        assert.equal((engine.state!.outputs.route as AlertRouteSpec).name, "Production Alerts (renamed in the dashboard)");
    });

    test("a failed claim: the route is kept, the next up claims it without writing the route", async () => {
        const engine = new EngineModel(host, URN, providerText);
        emulator.inject({ kind: "status", status: 500, method: "POST", path: "/v2/managed_resources" });
        const failed = await engine.up(program());
        assert.match(failed.error!, /was saved, but claiming it as managed by code failed/);
        assert.equal(engine.state!.outputs.claimed, undefined, "the state records that the claim is missing");
        const id = engine.state!.id;
        assert.equal(emulator.routes().length, 1);

        const preview = await engine.preview(program());
        assert.equal(preview.op, "update", "the engine updates a resource with init errors");
        assert.deepEqual({ shortDiff: preview.shortDiff, lines: preview.lines }, { shortDiff: "", lines: [] }, "no property changes");

        emulator.resetLog();
        assert.equal((await engine.up(program())).error, undefined);
        assert.deepEqual(
            emulator.requests.map((r) => r.method + " " + r.path.replace(id, ":id")),
            ["GET /v2/alert_routes/:id", "POST /v2/managed_resources"],
        );
        assert.equal(emulator.route(id)!.version, 1, "no PUT: the route already matched");
        assert.deepEqual(engine.state!.outputs.claimed, {
            "managed-by": "pulumi",
            "pulumi/project": "alert-routing",
            "pulumi/stack": "production",
        });
        assert.equal((await engine.preview(program())).op, "same");
    });

    test("the claim names the project and the stack", async () => {
        const engine = new EngineModel(host, URN, providerText);
        await engine.up(program());
        const claim = emulator.managedResources().find((m) => m.resource_id === engine.state!.id)!;
        assert.deepEqual(claim.annotations, { "managed-by": "pulumi", "pulumi/project": "alert-routing", "pulumi/stack": "production" });
    });

    test("adoption refuses another stack's route before any write, naming both names and the config key", async () => {
        const production = emulator.seedRoute(productionAlerts() as CreatePayload);
        const engine = new EngineModel(host, urnFor("stagingNotifications", ALERT_ROUTE_TYPE), providerText);
        const staging = {
            ...productionAlerts(),
            name: "Staging Notifications",
            pulumiProject: "alert-routing",
            pulumiStack: "staging",
            adoptId: production.id,
            adoptIdConfigKey: "alert-routing:adopt.stagingNotifications",
        };
        emulator.resetLog();
        await assert.rejects(engine.preview(staging), (e: Error) => {
            assert.match(
                e.message,
                /adoptId: alert-routing:adopt\.stagingNotifications \(adoptId\) \S+ is the live route "Production Alerts", but this resource defines "Staging Notifications"/,
            );
            assert.match(e.message, /pulumi config set --stack staging --path 'alert-routing:adopt\.stagingNotifications'/);
            assert.match(e.message, /adoptRenaming: true/);
            return true;
        });
        // create checks again (a preview is not always run first), and writes nothing either.
        const checked = { ...staging, enabled: true, __provider: providerText };
        await assert.rejects(
            host.create(engine["urn"], checked),
            /is the live route "Production Alerts", but this resource defines "Staging Notifications"/,
        );
        assert.deepEqual([...new Set(emulator.requests.map((r) => r.method))], ["GET"], "nothing written");
        assert.equal(emulator.route(production.id)!.name, "Production Alerts");

        // Renaming on purpose: adoptRenaming lets it through (GET + PUT + claim for the staging stack).
        assert.equal((await engine.up({ ...staging, adoptRenaming: true })).error, undefined);
        assert.equal(emulator.route(production.id)!.name, "Staging Notifications");
        assert.equal(emulator.managedResources().find((m) => m.resource_id === production.id)!.annotations["pulumi/stack"], "staging");
    });

    test("adopting an id incident.io does not have: the error names the config key the operator set and the commands that fix it", async () => {
        // Walking the runbook under the real CLI: an `alert-routing:adopt.<key>` naming a route deleted since it was
        // discovered said "remove adoptId", a name the operator never set. It names the stack config key and its commands.
        const engine = new EngineModel(host, urnFor("stagingNotifications", ALERT_ROUTE_TYPE), providerText);
        const gone = "01J9G0NEGONEGONEGONEGONE00";
        const staging = {
            ...productionAlerts(),
            name: "Staging Notifications",
            pulumiProject: "alert-routing",
            pulumiStack: "staging",
            adoptId: gone,
            adoptIdConfigKey: "alert-routing:adopt.stagingNotifications",
        };
        emulator.resetLog();
        const fixes = (message: string) => {
            assert.ok(
                message.includes(
                    `alert-routing:adopt.stagingNotifications (adoptId) ${gone} for alert route "Staging Notifications": incident.io has no alert route with that id. Nothing was written.`,
                ),
                message,
            );
            assert.ok(
                message.includes("`pulumi config set --stack staging --path 'alert-routing:adopt.stagingNotifications' <route id>`"),
                message,
            );
            assert.ok(message.includes("`pulumi config rm --stack staging --path 'alert-routing:adopt.stagingNotifications'`"), message);
            assert.ok(!message.includes("remove adoptId"), message);
            return true;
        };
        await assert.rejects(engine.preview(staging), (e: Error) => fixes(e.message));
        // create reads it again (a preview is not always run first) and says the same.
        await assert.rejects(host.create(engine["urn"], { ...staging, enabled: true, __provider: providerText }), (e: Error) =>
            fixes(e.message),
        );
        assert.deepEqual([...new Set(emulator.requests.map((r) => r.method))], ["GET"], "nothing written");
    });

    test("check reports what adoption will change (the preview cannot show it otherwise)", async () => {
        const live = emulator.seedRoute({ ...productionAlerts(), enabled: false } as CreatePayload);
        const engine = new EngineModel(host, URN, providerText);
        const before = host.logs.length;
        emulator.resetLog();
        const preview = await engine.preview(program({ adoptId: live.id }));
        assert.equal(preview.op, "create");
        assert.deepEqual(
            emulator.requests.map((r) => `${r.method} ${r.path.replace(live.id, "{id}")}`),
            ["GET /v2/alert_routes/{id}", "GET /v3/alert_routes/{id}"],
            "check reads only the route to adopt, and its v3 view since adoption will write (v3 settings a v2 write could reset)",
        );
        // The host's log lines arrive on its stderr, after the gRPC answer: wait (bounded) for the line.
        const adopting = `adopting "Production Alerts" (${live.id}) will write the definition over the live route (version 1), changing: enabled`;
        for (let i = 0; i < 50 && !host.logs.slice(before).some((l) => l.includes(adopting)); i++)
            await new Promise((r) => setTimeout(r, 100));
        assert.ok(host.logs.slice(before).some((l) => l.includes(adopting)));

        // Once the resource is in the state, check reads nothing.
        await engine.up(program({ adoptId: live.id }));
        emulator.resetLog();
        await engine.preview(program({ adoptId: live.id }));
        assert.equal(emulator.count(), 0);
    });

    test("the host finds the project from a subdirectory and honours Pulumi.yaml's main:", async () => {
        const fromSubdir = await startHost({ cwd: path.join(PROJECT_ROOT, "stack") });
        const engine = new EngineModel(fromSubdir, URN, providerText);
        assert.equal((await engine.up(program())).error, undefined);
        assert.equal(emulator.routes().length, 1);

        // A project whose program lives in `main: app` (here a link to this project).
        const project = fs.mkdtempSync(path.join(os.tmpdir(), "alert-routing-main-"));
        try {
            fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: alert-routing\nruntime: nodejs\nmain: app/ # the program\n");
            fs.symlinkSync(PROJECT_ROOT, path.join(project, "app"));
            const fromMain = await startHost({ cwd: project });
            assert.equal(
                (await new EngineModel(fromMain, urnFor("other", ALERT_ROUTE_TYPE), providerText).up(program({ name: "Other" }))).error,
                undefined,
            );
            assert.equal(emulator.routes().length, 2);
        } finally {
            fs.rmSync(project, { recursive: true, force: true });
        }
    });

    test("without the handlers the error names the directory searched and says to run npm ci", async () => {
        const project = fs.mkdtempSync(path.join(os.tmpdir(), "alert-routing-empty-"));
        try {
            fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: alert-routing\nruntime: nodejs\n");
            fs.mkdirSync(path.join(project, "stack"));
            const bare = await startHost({ cwd: path.join(project, "stack") });
            // Nor in the checkout the provider was serialized from (its fallback): that one is gone too.
            const serializedFrom = JSON.stringify(PROJECT_ROOT);
            assert.ok(providerText.includes(serializedFrom), "the shim carries the checkout it was serialized from");
            const elsewhere = providerText.split(serializedFrom).join(JSON.stringify(path.join(project, "gone")));
            await assert.rejects(new EngineModel(bare, URN, elsewhere).preview(program()), (e: Error) => {
                assert.ok(
                    e.message.includes(`searched up from ${fs.realpathSync(path.join(project, "stack"))} for Pulumi.yaml`),
                    e.message,
                );
                assert.match(e.message, /Run `npm ci` in /);
                return true;
            });
        } finally {
            fs.rmSync(project, { recursive: true, force: true });
        }
    });
});
