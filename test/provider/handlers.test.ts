// The AlertRoute handlers against the incident.io emulator: every handler and error path.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import type { AlertRouteInputs, AlertRouteOutputs } from "../../providers/incident-io/alertRoute";
import { canonical, fromResponse, withDefaults } from "../../providers/incident-io/model";
import { IncidentIoClient } from "../../providers/incident-io/client/client";
import type { AlertRouteResponse } from "../../providers/incident-io/types";
import { IncidentIoEmulator, type CreatePayload } from "../../dev/emulator";
import { minimalRoute, productionAlerts } from "../fixtures/routes";
import { handlersFor, TEST_API_KEY } from "../support/handlers";

let emulator: IncidentIoEmulator;

before(async () => {
    emulator = await IncidentIoEmulator.start({ apiKey: TEST_API_KEY });
});
after(() => emulator.close());
beforeEach(() => {
    emulator.clearFaults();
    emulator.resetLog();
    for (const r of emulator.routes()) emulator.deleteInUi(r.id);
});

async function checked(h: Awaited<ReturnType<typeof handlersFor>>["handlers"], news: Record<string, unknown>): Promise<AlertRouteInputs> {
    const { inputs, failures } = await h.check({}, news);
    assert.deepEqual(failures ?? [], []);
    return inputs!;
}

describe("AlertRoute handlers", () => {
    test("full lifecycle: create, refresh, no diff, update, UI edit, conflict, refresh, update, delete, gone", async () => {
        const { handlers } = await handlersFor(emulator);
        const inputs = await checked(handlers, productionAlerts() as unknown as Record<string, unknown>);

        const created = await handlers.create(inputs);
        assert.equal(emulator.count("POST", "/v2/alert_routes"), 1);
        assert.equal(emulator.managedResources().filter((m) => m.resource_id === created.id).length, 1, "claimed as managed");
        let outs = created.outs!;
        assert.equal(outs.version, 1);
        assert.equal(outs.name, "Production Alerts");
        assert.deepEqual(outs.route, canonical(inputs));

        emulator.resetLog();
        const refreshed = await handlers.read(created.id, outs);
        assert.equal(refreshed.id, created.id);
        assert.equal(emulator.count(), 1, "refresh is one GET");
        outs = refreshed.props!;
        assert.equal((await handlers.diff(created.id, outs, inputs)).changes, false, "no drift, no diff");

        emulator.resetLog();
        const renamed = await checked(handlers, { ...productionAlerts(), name: "Production Alerts (critical)" });
        assert.equal((await handlers.diff(created.id, outs, renamed)).changes, true);
        outs = (await handlers.update(created.id, outs, renamed)).outs!;
        assert.equal(outs.version, 2);
        assert.equal(emulator.route(created.id)!.name, "Production Alerts (critical)");
        assert.equal(emulator.count("GET"), 1);
        assert.equal(emulator.count("PUT"), 1);

        emulator.editInUi(created.id, (r) => {
            r.enabled = false;
        });
        emulator.resetLog();
        const back = await checked(handlers, productionAlerts() as unknown as Record<string, unknown>);
        await assert.rejects(handlers.update(created.id, outs, back), (e: Error) => {
            assert.match(e.message, /changed outside Pulumi/);
            assert.match(e.message, /changed: enabled/);
            assert.match(e.message, /pulumi refresh/);
            return true;
        });
        assert.equal(emulator.count("PUT"), 0, "nothing overwritten");
        assert.equal(emulator.route(created.id)!.enabled, false);

        outs = (await handlers.read(created.id, outs)).props!;
        assert.equal(outs.version, 3);
        assert.equal(outs.route.enabled, false, "refresh shows the UI edit");
        assert.equal((await handlers.diff(created.id, outs, back)).changes, true, "the next preview shows it");
        outs = (await handlers.update(created.id, outs, back)).outs!;
        assert.equal(outs.version, 4);
        assert.equal(emulator.route(created.id)!.enabled, true);
        assert.equal(emulator.route(created.id)!.name, "Production Alerts");

        // These handlers diffed the route in this run: a delete of its id here is an original left pending delete.
        await handlers.delete(created.id, outs);
        assert.ok(emulator.route(created.id), "no DELETE of an id a resource of this run holds");

        // pulumi destroy: a run (a host process, a handlers instance) of its own.
        const { handlers: destroyRun } = await handlersFor(emulator);
        await destroyRun.delete(created.id, outs);
        assert.equal(emulator.routes().length, 0);
        assert.deepEqual(await destroyRun.read(created.id, outs), {}, "refresh after delete: gone");
        await destroyRun.delete(created.id, outs); // a 404 counts as done
    });

    test("delete spares an id a resource of this run holds (diffed or adopted), and deletes any other", async () => {
        const held = emulator.seedRoute(productionAlerts() as CreatePayload);
        const removed = emulator.seedRoute({ ...productionAlerts(), name: "Removed from the program" } as CreatePayload);
        const { handlers } = await handlersFor(emulator);
        const inputs = await checked(handlers, { ...productionAlerts(), adoptId: held.id });
        const adopted = await handlers.create(inputs);
        const outs = adopted.outs!;
        const { handlers: nextRun, logs } = await handlersFor(emulator);
        await nextRun.diff(held.id, outs, inputs); // the program's resource, diffed before the engine's deletes
        emulator.resetLog();
        await nextRun.delete(held.id, outs); // the original of an interrupted replacement: same id
        await nextRun.delete(removed.id, { ...outs, name: "Removed from the program" }); // a resource that left the program
        assert.deepEqual(
            emulator.requests.filter((r) => r.method === "DELETE").map((r) => r.path),
            [`/v2/alert_routes/${removed.id}`],
        );
        assert.ok(emulator.route(held.id));
        assert.match(
            logs.join("\n"),
            new RegExp(`not deleting alert route "Production Alerts" \\(${held.id}\\): a resource of this stack holds it`),
        );
    });

    test("adoption takes a live route with GET + PUT(version + 1), never POST", async () => {
        const live = emulator.seedRoute({ ...productionAlerts(), name: "Production Alerts (UI)" } as CreatePayload);
        emulator.editInUi(live.id, () => {}); // version 2, as an edited route would be
        const { handlers } = await handlersFor(emulator);
        const inputs = await checked(handlers, { ...productionAlerts(), adoptId: live.id, adoptRenaming: true });
        emulator.resetLog();
        const { id, outs } = await handlers.create(inputs);
        assert.equal(id, live.id);
        assert.equal(emulator.count("POST", "/v2/alert_routes"), 0);
        assert.equal(emulator.count("PUT"), 1);
        assert.equal(outs!.version, 3);
        assert.equal(outs!.adoptId, live.id);
        assert.equal(emulator.route(live.id)!.name, "Production Alerts");
        assert.equal(emulator.routes().length, 1);
    });

    test("adopting a route that already matches writes nothing", async () => {
        const live = emulator.seedRoute(productionAlerts() as CreatePayload);
        const { handlers } = await handlersFor(emulator, { "incident-io:claimManaged": "false" });
        const inputs = await checked(handlers, { ...productionAlerts(), adoptId: live.id });
        emulator.resetLog();
        const { outs } = await handlers.create(inputs);
        assert.equal(outs!.version, live.version);
        assert.deepEqual(
            emulator.requests.map((r) => r.method),
            ["GET"],
        );
    });

    test("adopting an id that does not exist says so", async () => {
        const { handlers } = await handlersFor(emulator);
        const { failures } = await handlers.check({}, { ...minimalRoute(), adoptId: "01JZZZZZZZZZZZZZZZZZZZZZZZ" });
        assert.equal(failures?.[0]?.property, "adoptId");
        assert.match(failures![0].reason, /adoptId 01JZZZZZZZZZZZZZZZZZZZZZZZ .*no alert route with that id/);
        const inputs = { ...(await checked(handlers, minimalRoute())), adoptId: "01JZZZZZZZZZZZZZZZZZZZZZZZ" };
        await assert.rejects(handlers.create(inputs), /adoptId 01JZZZZZZZZZZZZZZZZZZZZZZZ .*no alert route with that id/);
        assert.equal(emulator.routes().length, 0);
    });

    test("onConflict=overwrite replaces changes made outside Pulumi, and says so", async () => {
        const { handlers, logs } = await handlersFor(emulator, { "incident-io:onConflict": "overwrite" });
        const inputs = await checked(handlers, minimalRoute());
        const { id, outs } = await handlers.create(inputs);
        emulator.editInUi(id, (r) => {
            r.name = "Renamed in UI";
        });
        const updated = await handlers.update(id, outs!, inputs);
        assert.equal(emulator.route(id)!.name, "Informational");
        assert.equal(updated.outs!.version, 3);
        assert.ok(logs.some((l) => /overwriting changes made outside Pulumi .*name/.test(l)));
    });

    test("a version rejected by the API (concurrent edit) is reported and nothing is overwritten", async () => {
        const { handlers } = await handlersFor(emulator);
        const inputs = await checked(handlers, minimalRoute());
        const { id, outs } = await handlers.create(inputs);
        emulator.inject({
            kind: "ui-edit",
            method: "PUT",
            routeId: id,
            mutate: (r) => {
                r.enabled = false;
            },
        });
        await assert.rejects(handlers.update(id, outs!, { ...inputs, name: "New name" }), (e: Error) => {
            assert.match(e.message, /changed in incident.io while Pulumi was updating it/);
            assert.match(e.message, /rejected version 2/);
            assert.match(e.message, /enabled/);
            return true;
        });
        assert.equal(emulator.route(id)!.name, "Informational");
        assert.equal(emulator.route(id)!.enabled, false);
    });

    test("a PUT whose answer is lost is settled by reading back: no false conflict", async () => {
        const { handlers } = await handlersFor(emulator);
        const inputs = await checked(handlers, minimalRoute());
        const { id, outs } = await handlers.create(inputs);
        emulator.inject({ kind: "reset-after-processing", method: "PUT" });
        const updated = await handlers.update(id, outs!, { ...inputs, name: "New name" });
        assert.equal(updated.outs!.version, 2);
        assert.equal(emulator.route(id)!.name, "New name");
        assert.equal(emulator.route(id)!.version, 2);
    });

    test("a POST whose answer is lost is not retried; the error names the route and how to adopt it", async () => {
        const { handlers } = await handlersFor(emulator);
        emulator.inject({ kind: "reset-after-processing", method: "POST", path: "/v2/alert_routes" });
        await assert.rejects(handlers.create(await checked(handlers, minimalRoute())), (e: Error) => {
            const created = emulator.routes()[0];
            assert.match(e.message, /creating alert route "Informational" may have succeeded/);
            assert.ok(e.message.includes(created.id), "names the id of the route that now exists");
            assert.match(e.message, /adoptId/);
            return true;
        });
        assert.equal(emulator.count("POST", "/v2/alert_routes"), 1, "not retried");
        assert.equal(emulator.routes().length, 1, "no duplicate");
    });

    test("a POST reset before the server acted: not retried, and the message says to look again before re-running", async () => {
        const { handlers } = await handlersFor(emulator);
        emulator.inject({ kind: "reset-before-processing", method: "POST", path: "/v2/alert_routes" });
        await assert.rejects(
            handlers.create(await checked(handlers, minimalRoute())),
            /no route with that name right now, but the request may still be in progress: look again in a minute/,
        );
        assert.equal(emulator.routes().length, 0);
    });

    test("a POST answered 429 is retried after Retry-After and creates exactly one route", async () => {
        const { handlers, logs } = await handlersFor(emulator);
        emulator.inject({ kind: "rate-limit", retryAfter: "http-date", seconds: 1, method: "POST", path: "/v2/alert_routes" });
        await handlers.create(await checked(handlers, minimalRoute()));
        assert.equal(emulator.routes().length, 1);
        assert.equal(emulator.count("POST", "/v2/alert_routes"), 2);
        assert.ok(logs.some((l) => /429 rate limited, retry 1\/3/.test(l)));
    });

    test("a POST to a server that refuses connections is retried (it never arrived), then fails clearly", async () => {
        const client = new IncidentIoClient({
            baseUrl: "http://127.0.0.1:9",
            apiKey: TEST_API_KEY,
            retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 },
        });
        await assert.rejects(
            client.createAlertRoute(withDefaults(minimalRoute())),
            /POST \/v2\/alert_routes network error after 2 attempts: .*ECONNREFUSED/,
        );
        // The handlers check the key first: that request fails the same way, and nothing is written.
        const { handlers } = await handlersFor({ url: "http://127.0.0.1:9" }, { "incident-io:maxRetries": "1" });
        await assert.rejects(
            handlers.create(await checked(handlers, minimalRoute())),
            /could not check the incident\.io API key before writing \(GET \/v1\/identity\): .*ECONNREFUSED.*Nothing was written/,
        );
    });

    test("401 names the scopes the key needs and never the key", async () => {
        const canary = "canary-key-3f9a1c";
        const { handlers } = await handlersFor(emulator, { "incident-io:apiKey": canary });
        await assert.rejects(handlers.create(await checked(handlers, minimalRoute())), (e: Error) => {
            assert.match(e.message, /401/);
            assert.match(e.message, /"View data" and "Create and manage on-call resources"/);
            assert.ok(!e.message.includes(canary));
            return true;
        });
    });

    test("a missing API key says how to set it", async () => {
        const saved = process.env.INCIDENT_IO_TOKEN;
        delete process.env.INCIDENT_IO_TOKEN;
        try {
            const { handlers } = await handlersFor(emulator, { "incident-io:apiKey": "" });
            await assert.rejects(
                handlers.read("01JZZZZZZZZZZZZZZZZZZZZZZZ", {} as AlertRouteOutputs),
                /pulumi config set --stack <stack> --secret 'incident-io:apiKey'/,
            );
        } finally {
            if (saved !== undefined) process.env.INCIDENT_IO_TOKEN = saved;
        }
        assert.equal(emulator.count(), 0);
    });

    test("the key falls back to INCIDENT_IO_TOKEN", async () => {
        process.env.INCIDENT_IO_TOKEN = TEST_API_KEY;
        try {
            const { handlers } = await handlersFor(emulator, { "incident-io:apiKey": "" });
            assert.deepEqual(await handlers.read("01JZZZZZZZZZZZZZZZZZZZZZZZ", {} as AlertRouteOutputs), {});
        } finally {
            delete process.env.INCIDENT_IO_TOKEN;
        }
    });

    test("a bad setting is reported by the first call that needs it, naming the key", async () => {
        const { handlers } = await handlersFor(emulator, { "incident-io:onConflict": "always" });
        await assert.rejects(
            handlers.create(await checked(handlers, minimalRoute())),
            /incident-io:onConflict must be "fail" or "overwrite"/,
        );
        assert.equal(emulator.count(), 0);
    });

    test("updating a route deleted in the UI says to refresh", async () => {
        const { handlers } = await handlersFor(emulator);
        const inputs = await checked(handlers, minimalRoute());
        const { id, outs } = await handlers.create(inputs);
        emulator.deleteInUi(id);
        await assert.rejects(handlers.update(id, outs!, inputs), /deleted outside Pulumi. Run `pulumi refresh --stack <stack>`/);
        assert.equal(emulator.routes().length, 0, "not silently recreated");
    });

    test("an update with nothing to write reads only; a steady-state update is GET + PUT, the claim not repeated", async () => {
        const { handlers } = await handlersFor(emulator);
        const inputs = await checked(handlers, { ...minimalRoute(), pulumiStack: "staging" });
        const { id, outs } = await handlers.create(inputs);
        assert.deepEqual(outs!.claimed, { "managed-by": "pulumi", "pulumi/project": "alert-routing", "pulumi/stack": "staging" });
        emulator.resetLog();
        const same = (await handlers.update(id, outs!, inputs)).outs!;
        assert.deepEqual(
            emulator.requests.map((r) => r.method),
            ["GET"],
            "no PUT, no claim",
        );
        assert.equal(same.version, 1);
        emulator.resetLog();
        await handlers.update(id, same, { ...inputs, enabled: false });
        assert.deepEqual(
            emulator.requests.map((r) => r.method),
            ["GET", "PUT"],
        );
        // Another stack's claim (or none) makes the diff an update, which claims again.
        assert.equal((await handlers.diff(id, same, { ...inputs, pulumiStack: "production" })).changes, true);
        assert.equal((await handlers.diff(id, same, inputs)).changes, false);
    });

    test("claimManaged=false makes no managed-resource call", async () => {
        const { handlers } = await handlersFor(emulator, { "incident-io:claimManaged": "false" });
        await handlers.create(await checked(handlers, minimalRoute()));
        assert.equal(emulator.count("POST", "/v2/managed_resources"), 0);
    });

    test("a failed claim still records the created route (id + outputs) so nothing is lost or duplicated", async () => {
        const { handlers } = await handlersFor(emulator, { "incident-io:maxRetries": "0" });
        emulator.inject({ kind: "status", status: 500, method: "POST", path: "/v2/managed_resources" });
        await assert.rejects(
            handlers.create(await checked(handlers, minimalRoute())),
            (e: Error & { id?: string; properties?: AlertRouteOutputs }) => {
                assert.equal(e.id, emulator.routes()[0].id);
                assert.equal(e.properties?.version, 1);
                assert.match(e.message, /was saved, but claiming it as managed by code failed/);
                return true;
            },
        );
        assert.equal(emulator.routes().length, 1);
    });

    test("reads survive a slow answer, a malformed body and 5xx by retrying", async () => {
        const { handlers } = await handlersFor(emulator, { "incident-io:requestTimeoutSeconds": "0.3" });
        const { id, outs } = await handlers.create(await checked(handlers, minimalRoute()));
        emulator.inject({ kind: "delay", ms: 1000, method: "GET" });
        emulator.inject({ kind: "malformed-json", method: "GET" });
        emulator.inject({ kind: "status", status: 502, method: "GET" });
        emulator.resetLog();
        const read = await handlers.read(id, outs!);
        assert.equal(read.id, id);
        assert.equal(emulator.count("GET"), 4);
    });

    test("a route pasted from the API's answer is accepted and means the same route", async () => {
        const { handlers } = await handlersFor(emulator);
        const { id } = await handlers.create(await checked(handlers, productionAlerts() as unknown as Record<string, unknown>));
        const answer = emulator.route(id)!;
        // The answer as JSON a user pasted: walked and pruned below as plain objects.
        type Pasted = Record<string, unknown> & {
            routing_insights?: unknown;
            escalation_config: { escalation_priority?: unknown };
            alert_sources: Array<{ source_health?: unknown }>;
        };
        const {
            id: _id,
            version: _v,
            created_at: _c,
            updated_at: _u,
            ...pasted
        } = answer as unknown as Pasted & {
            id: string;
            version: number;
            created_at: string;
            updated_at: string;
        };
        // The answer holds aliases (contains_one_of), the users echo and labels: all accepted. Fields the
        // provider has never heard of are named, not passed silently (inputs stay strict).
        const strict = await handlers.check({}, pasted);
        assert.deepEqual(strict.failures!.map((f) => f.property).sort(), [
            "alert_sources[0].source_health",
            "alert_sources[1].source_health",
            "escalation_config.escalation_priority",
            "routing_insights",
        ]);
        delete pasted.routing_insights;
        delete pasted.escalation_config.escalation_priority;
        for (const source of pasted.alert_sources) delete source.source_health;
        const inputs = await checked(handlers, pasted);
        assert.deepEqual(canonical(inputs), canonical(fromResponse(answer as unknown as AlertRouteResponse)));
    });
});
