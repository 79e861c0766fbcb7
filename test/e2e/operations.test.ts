// Operating a stack under the real Pulumi CLI: rotating the API key, restoring the state from an export, and
// where the CLI may be run from. What the CLI prints and what reaches the emulator.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

import { pulumiCliOrSkip } from "../support/pulumiCli";
import { E2E_PROJECT, randomKey, writes } from "../support/e2eStack";
import { e2eSuite } from "../support/e2eSuite";

const cli = pulumiCliOrSkip();

describe("operating the staging stack under the real CLI", { skip: !cli, timeout: 1_800_000 }, () => {
    const oldKey = randomKey("old-key");
    const newKey = randomKey("new-key");
    let beforeRotation: string;
    const suite = e2eSuite("staging", {
        apiKey: oldKey,
        prepare: async (stack) => {
            await stack.up();
            beforeRotation = path.join(stack.workspace.root, "before-rotation.export.json");
            await stack.pulumi(["stack", "export", "--file", beforeRotation]);
        },
    });

    it("7. key rotation: refresh keeps using the key of the last up until `up` (or `refresh --run-program`) runs with the new one", async () => {
        const { emulator, stack } = suite;
        assert.ok(!fs.readFileSync(beforeRotation, "utf8").includes(oldKey), "the export holds the key only encrypted");
        emulator.rotateApiKey(newKey);
        await stack.setApiKey(newKey);
        // The dynamic provider's configuration is stored with the stack at each `up`; a plain refresh reuses it.
        const stale = await stack.attempt(["refresh", "--yes"]);
        assert.notEqual(stale.code, 0);
        assert.match(stale.output, /401/, stale.output);
        assert.ok(!stale.output.includes(oldKey) && !stale.output.includes(newKey), "no key in the output");

        emulator.resetLog();
        await stack.up();
        assert.deepEqual(writes(emulator), [], "an up after a rotation writes nothing to incident.io");
        await stack.pulumi(["refresh", "--yes"]);

        // An export made before the rotation brings the old key back with it: refresh needs --run-program.
        await stack.pulumi(["stack", "import", "--file", beforeRotation]);
        const restored = await stack.attempt(["refresh", "--yes"]);
        assert.notEqual(restored.code, 0);
        assert.match(restored.output, /401/, restored.output);
        const rerun = await stack.pulumi(["refresh", "--yes", "--run-program"]);
        assert.match(rerun.output, /unchanged/, rerun.output);
        emulator.resetLog();
        await stack.pulumi(["refresh", "--yes"]);
        assert.deepEqual(writes(emulator), []);
    });

    it("8. backup and restore: export, lose the state, import, refresh: no change, no write", async () => {
        const { emulator, workspace, stack } = suite;
        const backup = path.join(workspace.root, "backup.export.json");
        await stack.pulumi(["stack", "export", "--file", backup]);
        // The backend is lost; Pulumi.staging.yaml (in git) is not.
        fs.rmSync(path.join(workspace.backend, ".pulumi"), { recursive: true, force: true });
        await workspace.ok(["stack", "init", "staging"]);
        assert.deepEqual(await stack.routeStates(), [], "the new stack is empty");
        await stack.pulumi(["stack", "import", "--file", backup]);
        emulator.resetLog();
        const refresh = await stack.pulumi(["refresh", "--yes"]);
        assert.match(refresh.output, /3 unchanged/, refresh.output);
        assert.deepEqual(writes(emulator), []);
        // A plain refresh previews first: two GETs of the one route (`--skip-preview` makes it one).
        assert.equal(emulator.count("GET", "/v2/alert_routes/"), 2);
        emulator.resetLog();
        await stack.pulumi(["refresh", "--yes", "--skip-preview"]);
        assert.equal(emulator.count("GET", "/v2/alert_routes/"), 1);
        assert.equal((await stack.routeStates()).length, 1);
    });

    it("9. where the CLI runs: -C <project> works from anywhere; outside the project the launcher cannot find the host", async () => {
        const { emulator, workspace, stack } = suite;
        const elsewhere = workspace.root;
        const preview = await workspace.ok(["preview", "--stack", "staging", "-C", workspace.project], { cwd: elsewhere });
        assert.match(preview.output, /3 unchanged/, preview.output);

        emulator.resetLog();
        // What docs/runbooks.md warns of: without -C, the dynamic-provider launcher resolves @pulumi/pulumi from
        // the current folder and fails before any request.
        const outside = await workspace.run(["destroy", "--stack", `organization/${E2E_PROJECT}/staging`, "--yes", "--skip-preview"], {
            cwd: elsewhere,
        });
        assert.notEqual(outside.code, 0);
        assert.match(outside.output, /Cannot find module '@pulumi\/pulumi\/cmd\/dynamic-provider'/, outside.output);
        assert.deepEqual(writes(emulator), [], "nothing deleted");
        assert.equal((await stack.routeStates()).length, 1, "the route is still in the stack");
    });
});
