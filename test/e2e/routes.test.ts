// The main job under the real Pulumi CLI: `up`, `preview`, `refresh`, dashboard edits and conflicts, for
// both stacks, against the emulator in its realistic mode. Asserts on what the CLI prints and on the
// emulator's request log. (dev/pulumi-cli builds the CLI when no recent `pulumi` is on PATH.)
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";

import { routesOwnedBy, type Environment } from "../../stack/routes";
import { pulumiCliOrSkip } from "../support/pulumiCli";
import { changeSummary, randomKey, writes } from "../support/e2eStack";
import { e2eSuite } from "../support/e2eSuite";

const cli = pulumiCliOrSkip();

for (const environment of ["staging", "production"] as const satisfies readonly Environment[]) {
    const owned = routesOwnedBy(environment);
    describe(`${environment}: up, preview, refresh and conflicts under the real CLI`, { skip: !cli, timeout: 1_800_000 }, () => {
        const suite = e2eSuite(environment, { apiKey: randomKey() });

        it("1. up creates every route once; the next preview shows no change and writes nothing", async () => {
            const { emulator, stack } = suite;
            const up = await stack.up();
            for (const row of owned)
                assert.match(up.stdout, new RegExp(`\\+ +pulumi-nodejs:dynamic/incident-io:AlertRoute ${row.key} created`), up.stdout);
            assert.equal(emulator.count("POST", "/v2/alert_routes"), owned.length);
            assert.deepEqual(
                emulator
                    .routes()
                    .map((r) => r.name)
                    .sort(),
                owned.map((r) => r.name).sort(),
            );

            emulator.resetLog();
            const preview = await stack.pulumi(["preview", "--json"]);
            const summary = changeSummary(preview.stdout);
            assert.deepEqual(Object.keys(summary).sort(), ["same"], preview.stdout);
            assert.deepEqual(writes(emulator), [], "a preview writes nothing");
        });

        it("2. a dashboard edit: refresh shows the field, preview --diff what up writes back, up writes it with one GET and one PUT and restores the claim", async () => {
            const { emulator, stack } = suite;
            const [route] = emulator.routes();
            // The dashboard lets a claimed route be edited only once its managed-by-code marker is removed.
            emulator.removeClaimInUi("alert_route", route.id);
            emulator.editInUi(route.id, (r) => {
                r.enabled = false;
            });

            emulator.resetLog();
            const refresh = await stack.pulumi(["refresh", "--yes", "--diff"]);
            // The CLI's refresh diff compares outputs (pkg/backend/display/object_diff.go): the nested route and the version.
            assert.match(refresh.stdout, /~ .*update/, refresh.stdout);
            assert.match(refresh.stdout, /enabled\s*:\s*true\s*=>\s*false/, refresh.stdout);
            assert.match(refresh.stdout, /version\s*:\s*\d+\s*=>\s*\d+/, refresh.stdout);
            assert.deepEqual(writes(emulator), [], "a refresh writes nothing");

            const preview = await stack.pulumi(["preview", "--diff"]);
            assert.match(preview.stdout, /enabled\s*:\s*false\s*=>\s*true/, preview.stdout);
            assert.match(preview.stdout, /1 to update/, preview.stdout);

            emulator.resetLog();
            await stack.up();
            // The key check (GET /v1/identity) is once per run, apart from the route's GET + PUT, and the
            // claim the refresh saw was gone (an edit outside Pulumi) is made again.
            assert.deepEqual(
                emulator.requests.map((r) => `${r.method} ${r.path}`).filter((r) => r !== "GET /v1/identity"),
                [`GET /v2/alert_routes/${route.id}`, `PUT /v2/alert_routes/${route.id}`, "POST /v2/managed_resources"],
            );
            assert.ok(
                emulator.managedResources().some((m) => m.resource_id === route.id),
                "the route is marked as managed by code again",
            );
            assert.equal(emulator.count("GET", "/v1/identity"), 1);
            assert.equal(emulator.route(route.id)!.enabled, true);
        });

        it("3. a dashboard edit without a refresh: up stops with the conflict message and writes nothing to that route", async () => {
            const { emulator, stack } = suite;
            const [edited] = emulator.routes();
            emulator.editInUi(edited.id, (r) => {
                r.enabled = false;
            });
            // A change in config that touches every route (another Slack channel), made without a refresh first.
            await stack.pulumi(["config", "set", "--path", "alert-routing:slackChannels.alerts", "C04MOVED001"]);
            emulator.resetLog();
            const up = await stack.attempt(["up", "--yes", "--skip-preview"]);
            assert.notEqual(up.code, 0, up.output);
            assert.match(up.output, new RegExp(`"${edited.name}" \\(${edited.id}\\) was changed outside Pulumi`), up.output);
            assert.match(up.output, /changed: enabled/, up.output);
            assert.match(up.output, /Nothing was written/, up.output);
            assert.ok(!writes(emulator).some((w) => w.path.endsWith(edited.id)), "the edited route is not overwritten");
            assert.equal(emulator.route(edited.id)!.enabled, false);
        });
    });
}
