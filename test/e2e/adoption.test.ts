// First adoption, replacement and retirement under the real Pulumi CLI, against an emulator seeded with the
// company's organisation (the six routes as made in the dashboard): what the CLI prints and what reaches the API.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

import { routesOwnedBy, type Environment, type RouteKey } from "../../stack/routes";
import { pulumiCliOrSkip } from "../support/pulumiCli";
import { changeSummary, randomKey, routeUrn, writes } from "../support/e2eStack";
import { e2eSuite } from "../support/e2eSuite";
import { LIVE_ROUTE_IDS, seedWorkspace } from "../../dev/seed/workspace";

const cli = pulumiCliOrSkip();

const liveIdsOf = (rows: ReadonlyArray<{ key: string }>) => Object.fromEntries(rows.map((row) => [row.key, LIVE_ROUTE_IDS[row.key]]));

for (const environment of ["staging", "production"] as const satisfies readonly Environment[]) {
    const owned = routesOwnedBy(environment);
    const [first] = owned;
    describe(`${environment}: first adoption and replacement under the real CLI`, { skip: !cli, timeout: 1_800_000 }, () => {
        const suite = e2eSuite(environment, {
            apiKey: randomKey(),
            seed: (emulator) => seedWorkspace(emulator, { otherRoutes: 5, otherEscalationPaths: 2 }),
        });

        it("4. another stack's route id stops the preview, naming the key and the live route", async () => {
            const { emulator, stack } = suite;
            const otherStacks = Object.keys(LIVE_ROUTE_IDS).filter((key) => !owned.some((row) => row.key === key));
            // The other routes' keys as a first adoption sets them (with one missing, production would stop at its name first).
            await stack.adopt({ ...liveIdsOf(owned), [first.key]: LIVE_ROUTE_IDS[otherStacks[0]] });
            emulator.resetLog();
            const preview = await stack.attempt(["preview"]);
            assert.notEqual(preview.code, 0, preview.output);
            assert.match(
                preview.output,
                new RegExp(`alert-routing:adopt\\.${first.key} \\(adoptId\\) ${LIVE_ROUTE_IDS[otherStacks[0]]} is the live route`),
                preview.output,
            );
            assert.deepEqual(writes(emulator), []);
        });

        it("4. an adopt id incident.io does not have stops the preview; its printed `pulumi config rm`, pasted into bash, clears it", async () => {
            // Walked: a key left from a destroyed stack (or a route deleted since discover-config) said "remove adoptId",
            // which no operator sets; the error names alert-routing:adopt.<key> and the commands that fix it.
            const { emulator, stack, workspace } = suite;
            const gone = "01J9G0NEGONEGONEGONEGONE00";
            await stack.adopt({ [first.key]: gone });
            emulator.resetLog();
            const preview = await stack.attempt(["preview"]);
            assert.notEqual(preview.code, 0, preview.output);
            assert.match(
                preview.output,
                new RegExp(`alert-routing:adopt\\.${first.key} \\(adoptId\\) ${gone} for alert route .*has no alert route with that id`),
            );
            assert.ok(!preview.output.includes("remove adoptId"), preview.output);
            const rm = /`(pulumi config rm [^`]+)`/.exec(preview.output)?.[1];
            assert.equal(rm, `pulumi config rm --stack ${environment} --path 'alert-routing:adopt.${first.key}'`);
            const pasted = spawnSync("bash", ["-c", rm!], { cwd: workspace.project, env: workspace.env(), encoding: "utf8" });
            assert.equal(pasted.status, 0, pasted.stderr);
            const again = await stack.attempt(["preview"]);
            assert.ok(!again.output.includes(gone), again.output);
            // No adopt key now, beside live routes of the same names: production stops (sameNameLiveRoute "error" by
            // default, as the real program reads it), staging warns; either way with the command that adopts.
            const sameName = new RegExp(
                `already has a live route named "${first.name}" \\(${LIVE_ROUTE_IDS[first.key]}\\).*` +
                    `pulumi config set --stack ${environment} --path 'alert-routing:adopt\\.${first.key}' ${LIVE_ROUTE_IDS[first.key]}`,
            );
            assert.match(again.output, sameName, again.output);
            if (environment === "production") {
                assert.notEqual(again.code, 0, again.output);
                assert.match(again.output, /Nothing was created/, again.output);
            } else {
                assert.equal(again.code, 0, again.output);
                assert.match(again.output, /warning: incident\.io already has a live route/, again.output);
            }
            assert.deepEqual(writes(emulator), []);
        });

        it("4. first adoption: preview shows what adoption changes, up adopts every live route without creating one", async () => {
            const { emulator, stack } = suite;
            await stack.adopt(liveIdsOf(owned));
            // One live route differs from the code (edited in the dashboard before the stack existed).
            emulator.editInUi(LIVE_ROUTE_IDS[first.key], (r) => {
                r.enabled = false;
            });
            emulator.resetLog();
            const preview = await stack.pulumi(["preview"]);
            assert.match(
                preview.output,
                new RegExp(
                    `adopting "${first.name}" \\(${LIVE_ROUTE_IDS[first.key]}\\) will write the definition over the live route \\(version \\d+\\), changing: enabled`,
                ),
                preview.output,
            );
            for (const row of owned.slice(1))
                assert.match(
                    preview.output,
                    new RegExp(`adopting "${row.name}" \\(${LIVE_ROUTE_IDS[row.key]}\\) writes nothing`),
                    preview.output,
                );
            assert.deepEqual(writes(emulator), [], "a preview writes nothing");

            emulator.resetLog();
            const routesBefore = emulator.routes().length;
            await stack.up();
            assert.equal(emulator.count("POST", "/v2/alert_routes"), 0, "adoption creates no route");
            assert.equal(emulator.routes().length, routesBefore);
            assert.deepEqual(
                writes(emulator).filter((w) => w.path.startsWith("/v2/alert_routes")),
                [{ method: "PUT", path: `/v2/alert_routes/${LIVE_ROUTE_IDS[first.key]}` }],
                "only the route that differed is written",
            );
            assert.equal(emulator.route(LIVE_ROUTE_IDS[first.key])!.enabled, true);
            const states = await stack.routeStates();
            assert.deepEqual(states.map((s) => s.id).sort(), owned.map((row) => LIVE_ROUTE_IDS[row.key]).sort());

            emulator.resetLog();
            assert.deepEqual(Object.keys(changeSummary((await stack.pulumi(["preview", "--json"])).stdout)), ["same"]);
            assert.deepEqual(writes(emulator), []);
        });

        it("5. up --replace and state taint of an adopted route never delete the live route", async () => {
            const { emulator, stack } = suite;
            const id = LIVE_ROUTE_IDS[first.key];
            const urn = routeUrn(environment, first.key as RouteKey);
            emulator.resetLog();
            const replaced = await stack.attempt(["up", "--yes", "--skip-preview", "--replace", urn]);
            if (environment === "production") {
                // Protected: the engine refuses before any step (pkg/resource/deploy/step_generator.go).
                assert.notEqual(replaced.code, 0);
                assert.match(replaced.output, /unable to replace resource .* as it is currently marked for protection/s, replaced.output);
            } else {
                assert.equal(replaced.code, 0, replaced.output);
                assert.match(replaced.output, /deleted original/, replaced.output);
                assert.match(
                    replaced.output,
                    new RegExp(
                        `not deleting alert route "${first.name}" \\(${id}\\): its replacement in this same run adopted that very resource`,
                    ),
                    replaced.output,
                );
            }
            assert.equal(emulator.count("DELETE"), 0, "no DELETE reached incident.io");
            assert.ok(emulator.route(id), "the live route is still there");

            await stack.pulumi(["state", "taint", urn, "--yes"]);
            emulator.resetLog();
            const tainted = await stack.attempt(["up", "--yes", "--skip-preview"]);
            if (environment === "production") assert.notEqual(tainted.code, 0, tainted.output);
            else assert.equal(tainted.code, 0, tainted.output);
            assert.equal(emulator.count("DELETE"), 0, "no DELETE reached incident.io");
            assert.ok(emulator.route(id), "the live route is still there");
            const states = await stack.routeStates();
            assert.equal(states.filter((s) => s.id === id).length, 1, "the stack manages the route once");
        });

        it("5. a replacement interrupted before its delete leaves the original pending delete; the next up never deletes the live route", async () => {
            const { emulator, stack, workspace } = suite;
            const id = LIVE_ROUTE_IDS[first.key];
            // What the engine's snapshot holds when an `up --replace` (or taint) stopped after the replacement adopted the
            // route and before "deleting original": the old resource, same URN and id, marked `delete: true`
            // (pkg/resource/deploy/step_generator.go, GenerateDeletes). The next `up` deletes it in a new host process.
            const file = path.join(workspace.root, "pending-delete.export.json");
            const exported = JSON.parse((await stack.pulumi(["stack", "export"])).stdout) as {
                deployment: { resources: Array<{ id?: string; type: string; delete?: boolean }> };
            };
            const resources = exported.deployment.resources;
            const at = resources.findIndex((r) => r.id === id);
            assert.ok(at >= 0, `route ${id} in the state`);
            resources.splice(at, 0, { ...resources[at], delete: true });
            fs.writeFileSync(file, JSON.stringify(exported));
            await stack.pulumi(["stack", "import", "--file", file]);

            emulator.resetLog();
            const next = await stack.attempt(["up", "--yes", "--skip-preview"]);
            if (environment === "production") {
                assert.notEqual(next.code, 0, "a protected route cannot be deleted, pending or not");
            } else {
                assert.equal(next.code, 0, next.output);
                assert.match(
                    next.output,
                    new RegExp(`not deleting alert route "${first.name}" \\(${id}\\): a resource of this stack holds it`),
                    next.output,
                );
            }
            assert.equal(emulator.count("DELETE"), 0, "no DELETE reached incident.io");
            assert.ok(emulator.route(id), "the live route is still there");
        });
    });
}

describe(
    "6. production: destroy stops before any DELETE; the retire runbook deletes or keeps one route",
    { skip: !cli, timeout: 1_800_000 },
    () => {
        const owned = routesOwnedBy("production");
        const suite = e2eSuite("production", {
            apiKey: randomKey(),
            seed: (emulator) => seedWorkspace(emulator, { otherRoutes: 2, otherEscalationPaths: 2 }),
            prepare: async (stack) => {
                await stack.adopt(liveIdsOf(owned));
                await stack.up();
            },
        });

        it("destroy of production fails on protection with no DELETE sent", async () => {
            const { emulator, stack } = suite;
            emulator.resetLog();
            const destroyed = await stack.attempt(["destroy", "--yes", "--skip-preview"]);
            assert.notEqual(destroyed.code, 0);
            assert.match(destroyed.output, /cannot be deleted/, destroyed.output);
            assert.equal(emulator.count("DELETE"), 0);
            assert.equal((await stack.routeStates()).length, owned.length, "every route is still in the stack");
        });

        it('retire: "delete" then the row removed deletes that route; retire: "keep" then removed leaves it live and unmanaged', async () => {
            const { emulator, stack } = suite;
            const [deleted, kept] = [owned[1], owned[2]];
            // Step 2 of the runbook: the rows marked. An up that changes only the options: no API write.
            await stack.pulumi([
                "config",
                "set",
                "--path",
                "alert-routing-e2e:retire",
                JSON.stringify({ [deleted.key]: "delete", [kept.key]: "keep" }),
            ]);
            emulator.resetLog();
            await stack.up();
            assert.deepEqual(writes(emulator), [], "marking rows changes only the state");
            // Step 3: the rows removed (and their adopt keys).
            await stack.pulumi(["config", "set", "--path", "alert-routing-e2e:removed", JSON.stringify([deleted.key, kept.key])]);
            await stack.pulumi(["config", "rm", "--path", `alert-routing:adopt.${deleted.key}`]);
            await stack.pulumi(["config", "rm", "--path", `alert-routing:adopt.${kept.key}`]);
            emulator.resetLog();
            await stack.up();
            assert.deepEqual(writes(emulator), [{ method: "DELETE", path: `/v2/alert_routes/${LIVE_ROUTE_IDS[deleted.key]}` }]);
            assert.equal(emulator.route(LIVE_ROUTE_IDS[deleted.key]), undefined);
            assert.ok(emulator.route(LIVE_ROUTE_IDS[kept.key]), "the kept route stays live");
            assert.deepEqual(
                (await stack.routeStates()).map((s) => s.id).sort(),
                owned
                    .slice(3)
                    .concat(owned[0])
                    .map((r) => LIVE_ROUTE_IDS[r.key])
                    .sort(),
            );
        });
    },
);
