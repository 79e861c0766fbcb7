// The provider checks the key (GET /v1/identity) once per process before its first write: a key
// that cannot write alert routes stops create, update and delete with 0 writes, naming the scope as
// the dashboard words it and the settings page; a preview with a read-only key works and says that
// `up` will need the write scope.
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";

import { IncidentIoEmulator, type CreatePayload, type EmulatedIdentity } from "../../dev/emulator";
import type { AlertRouteInputs, AlertRouteOutputs } from "../../providers/incident-io/alertRoute";
import { withDefaults } from "../../providers/incident-io/model";
import { minimalRoute } from "../fixtures/routes";
import { handlersFor, TEST_API_KEY } from "../support/handlers";
import { KEY_KINDS } from "../support/keys";

describe("the provider's key check", () => {
    let emu: IncidentIoEmulator | undefined;
    afterEach(async () => emu?.close());

    const start = async (identity: Partial<EmulatedIdentity>) => {
        emu = await IncidentIoEmulator.start({ apiKey: TEST_API_KEY, identity });
        return emu;
    };
    const inputs = (over: Record<string, unknown> = {}) =>
        ({ ...withDefaults(minimalRoute()), pulumiStack: "staging", ...over }) as AlertRouteInputs;
    const writes = (e: IncidentIoEmulator) => e.requests.filter((r) => r.method !== "GET");
    const identityCalls = (e: IncidentIoEmulator) => e.count("GET", "/v1/identity");

    test("a write key: checked once before the first write, then never again in the process", async () => {
        const e = await start(KEY_KINDS.write);
        const { handlers } = await handlersFor(e);
        const { id, outs } = await handlers.create(inputs());
        assert.deepEqual(
            e.requests.map((r) => `${r.method} ${r.path}`),
            ["GET /v1/identity", "POST /v2/alert_routes", "POST /v2/managed_resources"],
        );
        await handlers.update(id, outs!, inputs({ enabled: false }));
        const other = (await handlersFor(e)).handlers; // another handlers instance in the same process
        await other.create(inputs({ name: "Second route" }));
        await other.delete(id, outs!);
        assert.equal(identityCalls(e), 1, "one identity call per process, never per route");
    });

    for (const kind of ["viewerOnly", "teamScoped", "globalAccess"] as const) {
        test(`${kind}: create, update and delete stop before any write, naming the scope and the page`, async () => {
            const e = await start(KEY_KINDS[kind]);
            const live = e.seedRoute(withDefaults(minimalRoute()) as CreatePayload);
            const { handlers } = await handlersFor(e);
            const olds = { ...inputs(), version: live.version, route: withDefaults(minimalRoute()) } as AlertRouteOutputs;
            const attempts: Array<[string, () => Promise<unknown>]> = [
                ["create", () => handlers.create(inputs())],
                ["update", () => handlers.update(live.id, olds, inputs({ enabled: false }))],
                ["delete", () => handlers.delete(live.id, olds)],
            ];
            for (const [what, attempt] of attempts) {
                await assert.rejects(attempt(), (error: Error) => {
                    assert.match(
                        error.message,
                        /cannot write alert routes: it lacks .*"Create and manage on-call resources" \(on_call_editor\)/,
                        what,
                    );
                    assert.match(error.message, /https:\/\/app\.incident\.io\/emulated-org\/settings\/api-keys/);
                    assert.match(
                        error.message,
                        /Nothing was written\. Then give the stack that key: `pulumi config set --stack staging --secret 'incident-io:apiKey'` \(it asks for the value without echo\); and run `pulumi up --stack staging` again/,
                    );
                    // The stack's key wins over INCIDENT_IO_TOKEN: exporting one would change nothing, so it is not offered.
                    assert.doesNotMatch(error.message, /INCIDENT_IO_TOKEN/, what);
                    if (kind === "teamScoped") assert.match(error.message, /only for the team\(s\) "Platform"/);
                    if (kind === "globalAccess") assert.match(error.message, /"global_access" role/);
                    return true;
                });
            }
            assert.deepEqual(writes(e), [], "0 writes");
            assert.equal(identityCalls(e), 1, "asked once");
            assert.equal(e.route(live.id)!.version, live.version);
        });
    }

    test("a read-only key from INCIDENT_IO_TOKEN (no stack key): the message offers the stack's key or a new variable", async () => {
        const e = await start(KEY_KINDS.viewerOnly);
        const saved = process.env.INCIDENT_IO_TOKEN;
        process.env.INCIDENT_IO_TOKEN = TEST_API_KEY;
        try {
            const { handlers } = await handlersFor(e, { "incident-io:apiKey": "" });
            await assert.rejects(handlers.create(inputs()), (error: Error) => {
                assert.match(error.message, /cannot write alert routes/);
                assert.ok(
                    error.message.includes(
                        "`pulumi config set --stack staging --secret 'incident-io:apiKey'` (it asks for the value without echo), or INCIDENT_IO_TOKEN in the environment: `read -rs INCIDENT_IO_TOKEN && export INCIDENT_IO_TOKEN`",
                    ),
                    error.message,
                );
                return true;
            });
            assert.deepEqual(writes(e), []);
        } finally {
            if (saved === undefined) delete process.env.INCIDENT_IO_TOKEN;
            else process.env.INCIDENT_IO_TOKEN = saved;
        }
    });

    test("a preview with a read-only key works and says once that `up` will need the write scope", async () => {
        const e = await start(KEY_KINDS.viewerOnly);
        const live = e.seedRoute(withDefaults(minimalRoute()) as CreatePayload);
        const { handlers, logs } = await handlersFor(e);
        const olds = { ...inputs(), version: live.version, route: withDefaults(minimalRoute()), claimed: undefined } as AlertRouteOutputs;
        const same = { ...olds, claimed: { "managed-by": "pulumi", "pulumi/project": "alert-routing", "pulumi/stack": "staging" } };
        assert.equal((await handlers.diff(live.id, same, inputs())).changes, false);
        assert.equal(e.requests.length, 0, "a preview with no change makes no request");
        assert.equal((await handlers.diff(live.id, same, inputs({ enabled: false }))).changes, true);
        assert.equal((await handlers.diff(live.id, same, inputs({ enabled: false, name: "Renamed" }))).changes, true);
        const checked = await handlers.check({}, { ...minimalRoute(), adoptId: live.id, pulumiStack: "staging" });
        assert.equal(checked.failures, undefined);
        const notes = logs.filter((l) => /this preview works/.test(l));
        assert.equal(notes.length, 1, logs.join("\n"));
        assert.match(notes[0], /`pulumi up` will stop before writing: .*lacks "Create and manage on-call resources" \(on_call_editor\)/);
        assert.equal(identityCalls(e), 1);
        assert.deepEqual(writes(e), []);
    });

    test("a write key's preview says nothing about the key", async () => {
        const e = await start(KEY_KINDS.write);
        const live = e.seedRoute(withDefaults(minimalRoute()) as CreatePayload);
        const { handlers, logs } = await handlersFor(e);
        const olds = { ...inputs(), version: live.version, route: withDefaults(minimalRoute()) } as AlertRouteOutputs;
        assert.equal((await handlers.diff(live.id, olds, inputs({ enabled: false }))).changes, true);
        assert.deepEqual(logs, []);
    });
});
