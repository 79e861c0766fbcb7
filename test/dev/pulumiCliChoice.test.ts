// Which Pulumi CLI the end-to-end tier runs, and what happens on a machine that has none (issue 15, "Done when"):
// a `pulumi` on PATH at least MINIMUM_PULUMI_VERSION is used as it is; with neither it nor Go, `npm run pulumi-cli`
// and the tier say so in one line and skip, except in CI (`CI` set), where that fails the run. Each case runs in a
// child process whose PATH holds only what the case gives it (a fake `pulumi` that prints a version, or nothing).
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";

import { MINIMUM_PULUMI_VERSION, NO_PULUMI_MESSAGE } from "../../dev/pulumi-cli";
import { PROJECT_ROOT } from "../../dev/paths";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "alert-routing-cli-choice-"));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** A folder for PATH holding a `pulumi` that prints `version` (and does nothing else), or an empty one. */
function pathWith(name: string, version?: string): string {
    const dir = path.join(scratch, name);
    fs.mkdirSync(dir);
    if (version) fs.writeFileSync(path.join(dir, "pulumi"), `#!/bin/sh\necho v${version}\n`, { mode: 0o755 });
    return dir;
}

/** `node <args>` from the project root with only `dir` on PATH, CI set or not. */
function run(args: string[], dir: string, ci: boolean) {
    const env: NodeJS.ProcessEnv = { HOME: process.env.HOME, PATH: dir, TS_NODE_TRANSPILE_ONLY: "true" };
    if (ci) env.CI = "true";
    const result = spawnSync(process.execPath, ["--require", "ts-node/register", ...args], { cwd: PROJECT_ROOT, env, encoding: "utf8" });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const pulumiCliScript = ["dev/pulumi-cli/index.ts"];

describe("the Pulumi CLI the end-to-end tier runs", () => {
    it("a pulumi on PATH at the minimum version is used as it is (nothing is built)", () => {
        const dir = pathWith("current", MINIMUM_PULUMI_VERSION);
        const found = run(pulumiCliScript, dir, true);
        assert.equal(found.code, 0, found.stderr);
        assert.equal(found.stdout, `Pulumi CLI: ${path.join(dir, "pulumi")} (v${MINIMUM_PULUMI_VERSION}, from PATH)\n`);
        assert.equal(found.stderr, "");
    });

    it("an older pulumi on PATH is not used; with no Go either, npm run pulumi-cli says how to get one in one line", () => {
        const dir = pathWith("old", "3.100.0");
        const user = run(pulumiCliScript, dir, false);
        assert.equal(user.code, 0, "on a user's machine: the tier skips");
        assert.equal(user.stdout, "");
        assert.equal(user.stderr, `end-to-end tier skipped: ${NO_PULUMI_MESSAGE}\n`);
        const ci = run(pulumiCliScript, dir, true);
        assert.equal(ci.code, 1, "in CI: fails the run");
        assert.equal(ci.stderr, `error: ${NO_PULUMI_MESSAGE}\n`);
    });

    it("with neither pulumi nor Go, an e2e suite is skipped with that one line on a user's machine, and fails in CI", () => {
        const dir = pathWith("none");
        const suite = ["--test", "--test-reporter=tap", "test/e2e/documentedCommands.test.ts"];
        const user = run(suite, dir, false);
        // The runner relays the file's stderr into its report as a `# ` line.
        const report = user.stdout + user.stderr;
        assert.equal(user.code, 0, report);
        assert.match(report, /^ok 1 - documented pulumi commands under the real CLI # SKIP$/m, report);
        assert.match(report, /^# fail 0$/m, report);
        assert.equal(report.match(/end-to-end tier skipped/g)?.length, 1, report);
        assert.ok(report.includes(`end-to-end tier skipped: ${NO_PULUMI_MESSAGE}`), report);

        const ci = run(suite, dir, true);
        assert.notEqual(ci.code, 0, "in CI a CLI that cannot be had fails the run");
        assert.match(ci.stdout + ci.stderr, /The end-to-end tier needs the Pulumi CLI in CI\. Neither a Pulumi CLI/);
    });
});
