// `npm run demo` run as a user runs it (a child process, no terminal), with the real CLI against its emulator:
// the commands in the README's order, adoption without a new route, the refreshed dashboard edit naming its
// field, and what the next `up` writes back. Also: a command that cannot run stops the demo with exit 1.
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";

import { PROJECT_ROOT } from "../../dev/paths";
import { BUILD_DIR } from "../../dev/pulumi-cli";
import { LIVE_ROUTE_IDS } from "../../dev/seed/workspace";
import { ALERT_ROUTE_TYPE } from "../../providers/incident-io";
import { routesOwnedBy } from "../../stack/routes";
import { pulumiCliOrSkip } from "../support/pulumiCli";
import { E2E_PROJECT } from "../support/e2eStack";

const cli = pulumiCliOrSkip();

interface DemoRun {
    code: number;
    stdout: string;
    output: string;
}

function runDemo(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<DemoRun> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ["--require", "ts-node/register", "dev/demo/run.ts", "--dir", dir], {
            cwd: PROJECT_ROOT,
            env: { ...env, TS_NODE_TRANSPILE_ONLY: "true" },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => {
            stdout += chunk;
            output += chunk;
        });
        child.stderr.on("data", (chunk: Buffer) => (output += chunk));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code: code ?? -1, stdout, output }));
    });
}

/** The transcript cut at each `$ <command>` line: the command and what followed it until the next one. */
function sections(stdout: string): Array<{ command: string; text: string }> {
    return stdout
        .split(/^(?=\$ )/m)
        .slice(1)
        .map((part) => ({ command: part.slice(0, part.indexOf("\n")), text: part }));
}

const demoDir = () => path.relative(PROJECT_ROOT, path.join(BUILD_DIR, `demo-test-${crypto.randomBytes(4).toString("hex")}`));

describe("npm run demo", { skip: !cli, timeout: 600_000 }, () => {
    it("runs the main job command by command: adoption creates no route, refresh names the edited field, preview --diff shows the write-back", async () => {
        const dir = demoDir();
        try {
            const run = await runDemo(dir);
            assert.equal(run.code, 0, run.output);
            assert.match(run.stdout, /Not emulated: the AWS part .* and the Kubernetes part/);
            assert.match(run.stdout, /runs the routes-only project test\/e2e\/project/);

            const project = `${dir}/project`;
            const url = "http://127\\.0\\.0\\.1:\\d+";
            const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
            const expected = [
                `\\$ npm run discover-config -- --stack production --base-url ${url} --write --project-dir ${esc(project)}`,
                `\\$ npm run backup-routes -- --base-url ${url} --out ${esc(dir)}/backups`,
                `\\$ npm run import-routes -- ${esc(dir)}/backups --project-dir ${esc(project)}`,
                `\\$ pulumi -C ${esc(project)} preview --stack production --suppress-outputs`,
                `\\$ pulumi -C ${esc(project)} up --stack production --yes --suppress-outputs`,
                `\\$ pulumi -C ${esc(project)} refresh --stack production --yes --suppress-outputs`,
                `\\$ pulumi -C ${esc(project)} preview --stack production --diff --suppress-outputs`,
            ];
            const steps = sections(run.stdout);
            const found = expected.map((pattern) => steps.findIndex((s) => new RegExp(`^${pattern}$`).test(s.command)));
            assert.ok(
                found.every((i, n) => i >= 0 && (n === 0 || i > found[n - 1])),
                `the commands in order:\n${steps.map((s) => s.command).join("\n")}`,
            );
            const [discover, , importRoutes, preview, up, refresh, previewDiff] = found.map((i) => steps[i].text);

            assert.match(discover, /wrote 16 key\(s\)/, discover);
            assert.match(importRoutes, /unroutedAlerts .*\n(?:.*\n)*? +differs from stack\/routes\.ts in escalation_config/, importRoutes);
            // Adoption, shown by the preview: what it changes on the one route that differs, nothing on the others.
            assert.match(
                preview,
                /adopting "Unrouted Alerts" \(01J0R0VTEVNR0VTED000000000\) will write the definition over .*changing: escalation_config/,
            );
            assert.match(preview, /adopting "Production Warnings" \(01J0R0VTEPR0DWARN000000000\) writes nothing/);
            assert.match(preview, /incident\.io emulator: \d+ request\(s\): GET [^;]*; new routes \(POST \/v2\/alert_routes\): 0/);
            // The up adopts: no route created, the one that differs written once.
            assert.match(up, /new routes \(POST \/v2\/alert_routes\): 0\n/, up);
            assert.match(up, /PUT \/v2\/alert_routes\/\{id\} \(1\)/, up);
            assert.match(up, /Adopted: 18 routes in incident\.io before and after, 0 created/, up);
            // The refresh names the edited field; the next preview shows what up writes back.
            assert.match(refresh, /AlertRoute productionWarnings updated .*\[diff: ~enabled\]/, refresh);
            assert.match(previewDiff, /~ enabled\s*: false => true/, previewDiff);
            assert.match(previewDiff, /~ 1 to update/, previewDiff);

            // The state holds the live routes under their own ids: adopted, not created.
            const state = JSON.parse(
                fs.readFileSync(path.join(PROJECT_ROOT, dir, "state", ".pulumi", "stacks", E2E_PROJECT, "production.json"), "utf8"),
            ) as {
                checkpoint: { latest: { resources?: Array<{ type: string; urn: string; id?: string }> } };
            };
            const adopted = Object.fromEntries(
                (state.checkpoint.latest.resources ?? [])
                    .filter((r) => r.type === ALERT_ROUTE_TYPE)
                    .map((r) => [r.urn.split("::").pop(), r.id]),
            );
            assert.deepEqual(adopted, Object.fromEntries(routesOwnedBy("production").map((r) => [r.key, LIVE_ROUTE_IDS[r.key]])));
        } finally {
            fs.rmSync(path.join(PROJECT_ROOT, dir), { recursive: true, force: true });
        }
    });

    it("stops with exit 1 at the first command that cannot run, naming it, and runs nothing after it", async () => {
        // A PATH with the CLI and node but no npm: the first script (discover-config) cannot start.
        const bin = fs.mkdtempSync(path.join(os.tmpdir(), "demo-no-npm-"));
        fs.symlinkSync(cli!.pulumi, path.join(bin, "pulumi"));
        fs.symlinkSync(process.execPath, path.join(bin, "node"));
        const dir = demoDir();
        try {
            const run = await runDemo(dir, { ...process.env, PATH: [...cli!.pathPrefix, bin].join(path.delimiter) });
            assert.equal(run.code, 1, run.output);
            assert.match(run.output, /npm run demo failed: npm run discover-config -- --stack production .*: npm could not be started/);
            assert.doesNotMatch(run.stdout, /\$ npm run backup-routes/);
        } finally {
            fs.rmSync(bin, { recursive: true, force: true });
            fs.rmSync(path.join(PROJECT_ROOT, dir), { recursive: true, force: true });
        }
    });
});
