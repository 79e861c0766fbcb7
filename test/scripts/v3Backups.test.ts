// backup-routes keeps each route's v3 view beside its v2 file (alert_routes_v3/<id>.json): the
// settings v2 cannot express survive a backup. An organisation not on v3 is asked once per run;
// a v3 view that cannot be read is named, with its v2 file kept.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";

import { main as backupRoutes } from "../../scripts/backup-routes";
import { main as restoreRoutes } from "../../scripts/restore-routes";
import { ROUTE_V3_FIELDS, V3_DIR } from "../../scripts/v3Backups";
import { IncidentIoEmulator } from "../../dev/emulator";
import { LIVE_ROUTE_IDS, SOURCE_TOKEN_CANARY, seedWorkspace } from "../../dev/seed/workspace";
import { capturingIo } from "../support/scriptIo";

const API_KEY = "api-key-canary-v3b4c5";
const FAST_RETRY = { retry: { maxRetries: 1, baseDelayMs: 5, maxDelayMs: 20 } };

describe("backup-routes: the v3 view beside the v2 one", { timeout: 120_000 }, () => {
    let emu: IncidentIoEmulator;
    let tmp: string;

    async function restore(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
        const io = capturingIo(tmp, { key: API_KEY });
        const code = await restoreRoutes([...args, "--base-url", emu.url], io, FAST_RETRY);
        return { code, ...io.out() };
    }
    async function backup(): Promise<{ code: number; stdout: string; stderr: string }> {
        const io = capturingIo(tmp, { key: API_KEY });
        const code = await backupRoutes(["--out", "out", "--base-url", emu.url], io, FAST_RETRY);
        return { code, ...io.out() };
    }
    const v3Files = () => (fs.existsSync(path.join(tmp, "out", V3_DIR)) ? fs.readdirSync(path.join(tmp, "out", V3_DIR)).sort() : []);
    const v3Requests = () => emu.requests.filter((r) => r.path.startsWith("/v3/"));

    before(async () => {
        emu = await IncidentIoEmulator.start({ apiKey: API_KEY });
        seedWorkspace(emu, { otherRoutes: 4, otherEscalationPaths: 0 });
    });
    after(() => emu.close());
    beforeEach(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "v3-backups-"));
        emu.v3 = "available";
        emu.clearFaults();
        emu.resetLog();
    });
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("writes alert_routes_v3/<id>.json for every route, with the v3-only settings, documented fields only; a re-run writes the same bytes", async () => {
        const id = LIVE_ROUTE_IDS.productionAlerts;
        emu.editV3SettingsInUi(id, { group_alerts_summary: [true] });
        const run = await backup();
        assert.equal(run.code, 0, run.stderr);
        const live = emu.routes();
        assert.deepEqual(v3Files(), live.map((r) => `${r.id}.json`).sort());
        assert.equal(v3Requests().length, live.length, "one /v3 GET per route");
        for (const route of live) {
            const text = fs.readFileSync(path.join(tmp, "out", V3_DIR, `${route.id}.json`), "utf8");
            assert.ok(!text.includes(SOURCE_TOKEN_CANARY));
            const doc = JSON.parse(text) as { alert_route: Record<string, unknown> };
            const view = emu.v3View(route.id);
            const known = Object.fromEntries(ROUTE_V3_FIELDS.filter((f) => f in view).map((f) => [f, view[f]]));
            assert.deepEqual(doc.alert_route, known);
        }
        const held = JSON.parse(fs.readFileSync(path.join(tmp, "out", V3_DIR, `${id}.json`), "utf8")) as {
            alert_route: { message_config: { destinations: Array<{ slack_targets?: { group_alerts_summary?: boolean } }> } };
        };
        assert.equal(
            held.alert_route.message_config.destinations[0].slack_targets?.group_alerts_summary,
            true,
            "the v3-only setting is kept",
        );
        assert.match(run.stdout, new RegExp(`${live.length} v3 view\\(s\\) → out/alert_routes_v3 \\(${live.length} saved, 0 unchanged\\)`));
        // The v2 files are where they were: import-routes and restore-routes read them as before.
        assert.ok(fs.existsSync(path.join(tmp, "out", `${id}.json`)));

        const before = Object.fromEntries(v3Files().map((f) => [f, fs.readFileSync(path.join(tmp, "out", V3_DIR, f), "utf8")]));
        const again = await backup();
        assert.equal(again.code, 0);
        assert.deepEqual(Object.fromEntries(v3Files().map((f) => [f, fs.readFileSync(path.join(tmp, "out", V3_DIR, f), "utf8")])), before);
        assert.match(again.stdout, /\(0 saved, \d+ unchanged\)/);
    });

    it("an organisation not on v3: asked once, no v3 file, the run says so and succeeds", async () => {
        emu.v3 = "not_migrated";
        const run = await backup();
        assert.equal(run.code, 0, run.stderr);
        assert.equal(v3Requests().length, 1, "one probe per run, not one per route");
        assert.equal(v3Requests()[0].status, 403);
        assert.deepEqual(v3Files(), []);
        assert.match(run.stdout, /no v3 views: .*not on its v3 API yet \(403 api_not_yet_available\)/);
        assert.equal(fs.readdirSync(path.join(tmp, "out")).filter((f) => f.endsWith(".json")).length, emu.routes().length);
    });

    it("a v3 view that cannot be read is named and the run fails; its v2 file and the other views are kept", async () => {
        const id = LIVE_ROUTE_IDS.databaseAlerts;
        emu.inject({ method: "GET", path: `/v3/alert_routes/${id}`, kind: "status", status: 500, times: 5 });
        const run = await backup();
        assert.equal(run.code, 1);
        assert.match(run.stderr, new RegExp(`${id} "Database Alerts": its v2 file was saved, its v3 view was not: .*500`));
        assert.ok(fs.existsSync(path.join(tmp, "out", `${id}.json`)));
        assert.ok(!v3Files().includes(`${id}.json`));
        assert.equal(v3Files().length, emu.routes().length - 1);
    });

    it("restore-routes does not overwrite a route holding v3 settings a v2 write could reset; the others are restored", async () => {
        assert.equal((await backup()).code, 0);
        // Production Alerts has a Slack destination (a group summary can be set on it); a stack owns it: --include-managed.
        const held = emu.route(LIVE_ROUTE_IDS.productionAlerts)!;
        const plain = emu.routes().find((r) => r.name === "Team 001 alerts")!;
        emu.editInUi(held.id, (r) => void (r.enabled = false));
        emu.editV3SettingsInUi(held.id, { group_alerts_summary: [true] });
        emu.editInUi(plain.id, (r) => void (r.enabled = false));
        emu.resetLog();
        const run = await restore(["out", "--yes", "--include-managed"]);
        assert.equal(run.code, 1, run.stdout + run.stderr);
        assert.match(
            run.stdout,
            new RegExp(
                `${held.id} .*not restored: it holds v3 settings a v2 write could reset \\(message_config.destinations\\[0\\].slack_targets.group_alerts_summary true`,
            ),
        );
        assert.equal(emu.requests.filter((r) => r.method === "PUT" && r.path.endsWith(held.id)).length, 0, "never written through v2");
        assert.equal(emu.route(held.id)!.enabled, false);
        assert.equal(emu.requests.filter((r) => r.method === "PUT" && r.path.endsWith(plain.id)).length, 1);
        assert.equal(emu.route(plain.id)!.enabled, true);
    });
});
