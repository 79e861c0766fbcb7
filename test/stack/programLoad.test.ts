// The program loads the way Pulumi loads it: package.json `main`, the project's tsconfig.json,
// ts-node with type checking, in a fresh node process (see test/support/runLikePulumi.js).
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

import { PROJECT_ROOT } from "../../dev/paths";
import { ALERT_ROUTE_TYPE } from "../../providers/incident-io/alertRoute";
import { CANARY, committedConfig, stackTestConfig } from "../support/stackHarness";

const SECRET_KEYS = ["incident-io:apiKey", "checkly:apiKey"];

function runLikePulumi(stack: "production" | "staging", config: Record<string, string>) {
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        TEST_STACK: stack,
        TEST_STACK_CONFIG: JSON.stringify(config),
        TEST_STACK_SECRET_KEYS: JSON.stringify(SECRET_KEYS),
    };
    // As under `pulumi up`: no test-runner loaders or ts-node settings leak into the program's process.
    for (const key of Object.keys(env))
        if (key.startsWith("TS_NODE_") || key === "NODE_OPTIONS" || /^(INCIDENT_IO_TOKEN|CHECKLY_API_KEY|CHECKLY_ACCOUNT_ID)$/.test(key))
            delete env[key];
    return spawnSync(process.execPath, [path.join(__dirname, "..", "support", "runLikePulumi.js")], {
        cwd: PROJECT_ROOT,
        env,
        encoding: "utf8",
        timeout: 180_000,
    });
}

describe("the program loads as Pulumi loads it", { timeout: 400_000 }, () => {
    it("package.json main is the program and tsconfig.json compiles it", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8"));
        assert.equal(path.resolve(PROJECT_ROOT, pkg.main), path.join(PROJECT_ROOT, "index.ts"));
        const tsconfig = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "tsconfig.json"), "utf8"));
        assert.ok(tsconfig.include.includes("index.ts") && tsconfig.include.includes("stack/**/*.ts"));
    });

    it("staging: type-checks, runs, registers its resources and exports the backups", () => {
        // No network: the loader's mocks answer the AlertSource, whose secret_token output is the token.
        const config = stackTestConfig("staging", { "incident-io:apiKey": CANARY.apiKey });
        const result = runLikePulumi("staging", config);
        assert.equal(result.status, 0, `exit ${result.status}\n${result.stderr}`);
        const report = JSON.parse(result.stdout.trim().split("\n").pop()!);
        assert.ok(report.types.includes(ALERT_ROUTE_TYPE), report.types.join(", "));
        assert.ok(report.types.includes("kubernetes:monitoring.coreos.com/v1:AlertmanagerPatch"));
        assert.ok(report.types.includes("pulumi-nodejs:dynamic/incident-io:AlertSource"), "the stack's sources are resources");
        assert.ok(report.types.includes("pulumi-nodejs:dynamic/checkly:AlertChannel"), "the stack's Checkly channel is a resource");
        assert.deepEqual(report.outputs.sort(), [
            "alertAttributes",
            "alertEventsUrl",
            "alertSources",
            "alertmanagerBefore",
            "alertmanagerConfig",
            "checklyChannel",
            "environment",
            "routes",
            "tokenSecretArn",
            "tokenSecretVersionId",
        ]);
        // The loader's mocks answer the Alertmanager source with this token, as a secret output.
        for (const secret of ["program-load-token", CANARY.apiKey])
            assert.ok(!result.stdout.includes(secret) && !result.stderr.includes(secret), secret);
    });

    it("production with only the committed config: fails with the list of keys to set, and nothing registered", () => {
        const result = runLikePulumi("production", committedConfig("production"));
        assert.notEqual(result.status, 0);
        assert.match(result.stderr, /Stack "production" cannot run: 15 configuration problem\(s\)/);
        assert.match(result.stderr, /pulumi config set --stack production --path 'alert-routing:alertSources\.email' <id>/);
        assert.equal(result.stdout, "");
    });
});
