// `npm run coverage`: the table and findings from the route table or a backup folder; --strict.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";

import * as YAML from "yaml";

import { IncidentIoEmulator } from "../../dev/emulator";
import { PROJECT_ROOT } from "../../dev/paths";
import { main as backupRoutes } from "../../scripts/backup-routes";
import { main } from "../../scripts/coverage";
import { LIVE_IDS, seedWorkspace } from "../../dev/seed/workspace";

const FIXTURES = path.join(__dirname, "..", "fixtures");

async function run(argv: string[], env: NodeJS.ProcessEnv = {}, script = main) {
    let stdout = "";
    let stderr = "";
    const code = await script(argv, {
        log: (s) => (stdout += s),
        error: (s) => (stderr += s),
        isTTY: false,
        env,
        cwd: PROJECT_ROOT,
    });
    return { code, stdout, stderr };
}

describe("npm run coverage", () => {
    it("prints the route table's coverage and exits 0 with the findings as warnings", async () => {
        const { code, stdout, stderr } = await run(["--stack", "production"]);
        assert.equal(code, 0);
        assert.equal(stderr, "");
        assert.match(stdout, /^Routing coverage of the production stack, from stack\/routes\.ts \(5 routes\)/);
        assert.match(stdout, /^alertmanager +severity is any value but critical or warning +none +gap$/m);
        assert.match(stdout, /^ {2}gap: planetScale alerts where branch is not main \(any other value, or not set\) reach no route$/m);
    });

    it("--strict exits 1 on a gap not declared, naming what to do; a stack without one exits 0", async () => {
        const production = await run(["--stack", "production", "--strict"]);
        assert.equal(production.code, 1);
        assert.match(production.stderr, /2 gap\(s\), overlap\(s\) or unused source\(s\) not declared/);
        assert.match(production.stderr, /npm run coverage -- --stack production --strict/);
        const staging = await run(["--stack", "staging", "--strict"]);
        assert.equal(staging.code, 0);
        assert.match(staging.stdout, /^Routing coverage of the staging stack, from stack\/routes\.ts \(1 route\)$/m);
    });

    it("--from a backup folder: every live route, the labels incident.io answered with, other stacks' routes marked", async () => {
        const { code, stdout } = await run(["--stack", "production", "--from", path.join(FIXTURES, "backups")]);
        assert.equal(code, 0);
        assert.match(stdout, /from the live routes in .*backups" \(4 routes\)/);
        assert.match(stdout, /^alertmanager +Severity is any value but critical +none +gap$/m);
        assert.match(stdout, /^alertmanager +Severity is not set +Unrouted Alerts$/m);
    });

    it("--from marks a route another stack or nobody manages, and finds the overlap it makes", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "coverage-"));
        const copy = (name: string) => fs.copyFileSync(path.join(FIXTURES, "backups", name), path.join(dir, name));
        copy("production-alerts.json");
        const stray = JSON.parse(fs.readFileSync(path.join(FIXTURES, "backups", "staging-notifications.json"), "utf8"));
        const route = stray.alert_route ?? stray;
        route.id = "01J0R0VTESTRAY00000000000";
        route.name = "Checkly copy";
        route.alert_sources = [{ alert_source_id: "01HZ7GE7CASMF15RWV1QFCMKTQ", condition_groups: [] }];
        fs.writeFileSync(path.join(dir, "stray.json"), JSON.stringify({ alert_route: route }));
        const { stdout } = await run(["--stack", "production", "--from", dir]);
        assert.match(stdout, /^ {2}overlap: every checkly alert reaches 2 routes: Production Alerts, Checkly copy \[not managed\]$/m);
    });

    it("--from refuses a folder with unreadable backups rather than report gaps that are not there", async () => {
        const { code, stdout, stderr } = await run(["--stack", "production", "--from", path.join(FIXTURES, "backups-with-problems")]);
        assert.equal(code, 1);
        assert.equal(stdout, "");
        assert.match(stderr, /No coverage was computed/);
    });

    const usage: Array<[string, string[], RegExp]> = [
        ["no --stack", [], /--stack is required/],
        ["an unknown stack", ["--stack", "prod"], /--stack must be one of production, staging, got "prod"/],
        ["an unknown flag", ["--stack", "staging", "--stirct"], /unknown argument "--stirct"/],
        ["--from that is not a folder", ["--stack", "staging", "--from", "no/such/dir"], /is not a folder/],
    ];
    for (const [name, argv, message] of usage) {
        it(`usage error: ${name} (exit 2)`, async () => {
            const { code, stderr } = await run(argv);
            assert.equal(code, 2);
            assert.match(stderr, message);
        });
    }

    it("--from what backup-routes saved of the company's workspace: the six routes' classes, and the overlap unmanaged routes make", async () => {
        const key = "coverage-test-key";
        const emu = await IncidentIoEmulator.start({ apiKey: key });
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "coverage-live-"));
        try {
            seedWorkspace(emu, { otherRoutes: 2 });
            const saved = await run(["--out", path.join(dir, "backups"), "--base-url", emu.url], { INCIDENT_IO_TOKEN: key }, backupRoutes);
            assert.equal(saved.code, 0, saved.stderr);
            // The stack file as discover-config --write leaves it: every id of the stack set.
            fs.writeFileSync(
                path.join(dir, "Pulumi.production.yaml"),
                YAML.stringify({
                    config: {
                        "alert-routing:alertSources": LIVE_IDS.production.alertSources,
                        "alert-routing:alertAttributes": LIVE_IDS.production.alertAttributes,
                    },
                }),
            );
            const { code, stdout } = await run(["--stack", "production", "--from", path.join(dir, "backups"), "--project-dir", dir]);
            assert.equal(code, 0);
            const findings = stdout.slice(stdout.indexOf("\nfindings:")).trim().split("\n");
            assert.deepEqual(findings, [
                "findings: 2 gaps, 1 overlap, 0 unused sources, 0 classes not evaluated, 0 stale declarations (0 accepted), 3 not declared",
                "  gap: alertmanager alerts where severity is any value but critical or warning reach no route",
                "  gap: planetScale alerts where branch is not main (any other value, or not set) reach no route",
                "  overlap: every axiom alert reaches 3 routes: Informational, Team 001 alerts [not managed], Team 002 alerts [not managed]",
            ]);
            assert.match(stdout, /^alertmanager +severity is not set +Unrouted Alerts$/m);
        } finally {
            await emu.close();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
