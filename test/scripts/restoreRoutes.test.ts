// npm run restore-routes against the emulator, from a folder backup-routes wrote: the same routes
// skipped with no write, changed ones restored with exactly GET + PUT each, a deleted one re-created
// once, nothing written without confirmation, managed routes left to their stack, a route edited
// between the GET and the PUT not overwritten, and the key checked first (0 writes for a key that
// cannot write).
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";

import { IncidentIoEmulator, type EmulatedIdentity } from "../../dev/emulator";
import { fromResponse, sameRoute } from "../../providers/incident-io/model";
import { main as backupRoutes } from "../../scripts/backup-routes";
import type { ScriptIo } from "../../scripts/cli";
import { main as restoreRoutes } from "../../scripts/restore-routes";
import { KEY_KINDS } from "../support/keys";
import { LIVE_ROUTE_IDS, seedWorkspace } from "../../dev/seed/workspace";
import { scratchProject } from "../support/scriptIo";

const API_KEY = "restore-key-canary-93ab1";
const FAST_RETRY = { retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20 } };
/** The three unmanaged routes the seed makes besides the company's six ("Team 001 alerts", ...). */
const TEAM = ["01J2R0VTE00000000000000001", "01J2R0VTE00000000000000002", "01J2R0VTE00000000000000003"];

interface Run {
    code: number;
    stdout: string;
    stderr: string;
    asked: string[];
}

describe("restore-routes against the emulator", () => {
    let emu: IncidentIoEmulator;
    let tmp: string;

    const io = (opts: { confirm?: boolean; isTTY?: boolean } = {}) => {
        const out = { stdout: "", stderr: "", asked: [] as string[] };
        const s: ScriptIo = {
            log: (t) => (out.stdout += t),
            error: (t) => (out.stderr += t),
            isTTY: opts.isTTY ?? false,
            env: { INCIDENT_IO_TOKEN: API_KEY },
            cwd: tmp,
            confirm:
                opts.confirm === undefined
                    ? undefined
                    : async (q) => {
                          out.asked.push(q);
                          return opts.confirm!;
                      },
        };
        return { s, out };
    };
    const restore = async (args: string[], opts: { confirm?: boolean } = {}): Promise<Run> => {
        const { s, out } = io(opts);
        const code = await restoreRoutes([...args, "--base-url", emu.url], s, FAST_RETRY);
        assert.ok(!out.stdout.includes(API_KEY) && !out.stderr.includes(API_KEY), "the key is never printed");
        return { code, ...out };
    };
    /** Requests that change something. */
    const writes = () => emu.requests.filter((r) => r.method !== "GET");
    const requestsTo = (id: string) => emu.requests.filter((r) => r.path === `/v2/alert_routes/${id}`).map((r) => r.method);

    /** The backup is taken with a key that can read; the restore runs against the same workspace
     * in an emulator started with `identity`. */
    const start = async (identity?: Partial<EmulatedIdentity>) => {
        const source = await IncidentIoEmulator.start({ apiKey: API_KEY });
        seedWorkspace(source, { otherRoutes: 3 });
        const { s } = io();
        assert.equal(await backupRoutes(["--base-url", source.url, "--quiet"], s, FAST_RETRY), 0);
        await source.close();
        emu = await IncidentIoEmulator.start({ apiKey: API_KEY, identity });
        seedWorkspace(emu, { otherRoutes: 3 });
    };

    beforeEach(async () => {
        tmp = scratchProject("restore-routes-", []);
        await start();
    });
    afterEach(async () => emu.close());

    test("routes that are the same as the backup are skipped with 0 writes", async () => {
        const run = await restore(["--yes"]);
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /9 route\(s\) in backups\/incident\.io:/);
        assert.equal((run.stdout.match(/same as the backup; skipped/g) ?? []).length, 9);
        assert.match(run.stdout, /Nothing to restore\./);
        assert.deepEqual(writes(), []);
        assert.equal(emu.count("GET", "/v2/alert_routes/"), 9, "one GET per route");
        assert.equal(emu.count("GET", "/v1/identity"), 1, "the key is checked once");
    });

    test("changed routes are restored with exactly GET + PUT each after --yes, field by field shown first", async () => {
        const before = emu.route(TEAM[0])!;
        emu.editInUi(TEAM[0], (r) => void (r.enabled = false));
        emu.editInUi(TEAM[1], (r) => void (r.name = "Renamed in the UI"));
        emu.resetLog();
        const run = await restore(["--yes"]);
        assert.equal(run.code, 0, run.stderr);
        assert.match(
            run.stdout,
            new RegExp(
                `${TEAM[0]}  "Team 001 alerts": differs from the backup \\(live version 2\\); will be overwritten:\\n      enabled: false  →  true`,
            ),
        );
        assert.match(run.stdout, / {4}name: "Renamed in the UI" {2}→ {2}"Team 002 alerts"/);
        assert.match(run.stdout, /Restore 2 routes: overwrite 2: --yes given\./);
        assert.match(run.stderr, /restoring route 1 of 2: .*\nrestoring route 2 of 2: /);
        for (const id of TEAM.slice(0, 2)) assert.deepEqual(requestsTo(id), ["GET", "PUT"], id);
        assert.deepEqual(requestsTo(TEAM[2]), ["GET"]);
        assert.equal(writes().length, 2);
        const after = emu.route(TEAM[0])!;
        assert.equal(after.version, 3, "PUT at the version read + 1");
        assert.ok(sameRoute(fromResponse(after), fromResponse(before)));
        assert.equal(emu.route(TEAM[1])!.name, "Team 002 alerts");
        assert.match(run.stdout, /restored/);
    });

    test("a deleted route is re-created once, under a new id; a second run does not make two", async () => {
        emu.deleteInUi(TEAM[2]);
        const first = await restore(["--yes"]);
        assert.equal(first.code, 0, first.stderr);
        assert.match(first.stdout, /no longer exists; will be created anew/);
        assert.equal(emu.count("POST", "/v2/alert_routes"), 1);
        const recreated = emu.routes().filter((r) => r.name === "Team 003 alerts");
        assert.equal(recreated.length, 1);
        assert.notEqual(recreated[0].id, TEAM[2]);
        assert.match(first.stdout, new RegExp(`re-created +new id ${recreated[0].id}`));
        assert.doesNotMatch(first.stdout, /pulumi config set/, "no stack owns it");

        emu.resetLog();
        const second = await restore(["--yes"]);
        assert.equal(emu.count("POST"), 0, "not created twice");
        assert.equal(emu.routes().filter((r) => r.name === "Team 003 alerts").length, 1);
        assert.equal(second.code, 1);
        assert.match(
            second.stderr,
            new RegExp(
                `could not restore 1 route\\(s\\):\\n  ${TEAM[2]} "Team 003 alerts": deleted, but incident\\.io has 1 route\\(s\\) named "Team 003 alerts" \\(${recreated[0].id}\\)`,
            ),
        );
    });

    test("nothing is written without confirmation: no terminal and no --yes, or the answer no", async () => {
        emu.editInUi(TEAM[0], (r) => void (r.enabled = false));
        emu.deleteInUi(TEAM[1]);
        emu.resetLog();
        const noTty = await restore([]);
        assert.equal(noTty.code, 0);
        assert.match(
            noTty.stdout,
            /Restore 2 routes: overwrite 1, create 1\? Nothing was written: there is no terminal to confirm on\. To write, run: npm run restore-routes -- --base-url http:\/\/127\.0\.0\.1:\d+ --yes\n/,
        );
        // The line repeats every flag, each --only and the folder, quoted: pasted, it restores exactly what was shown.
        const only = await restore(["backups/incident.io", "--only", TEAM[0], "--only", "Team 002 alerts", "--include-managed"]);
        assert.ok(
            only.stdout.includes(
                `To write, run: npm run restore-routes -- backups/incident.io --only ${TEAM[0]} --only 'Team 002 alerts' --include-managed --base-url ${emu.url} --yes\n`,
            ),
            only.stdout + only.stderr,
        );
        const no = await restore([], { confirm: false });
        assert.deepEqual(no.asked, ["Restore 2 routes: overwrite 1, create 1? [y/N] "], "asked once, with the summary");
        assert.match(no.stdout, /Not confirmed: nothing was written\./);
        const dry = await restore(["--dry-run", "--yes"]);
        assert.match(dry.stdout, /Dry run: nothing was written\./);
        assert.deepEqual(writes(), []);
        assert.equal(emu.route(TEAM[0])!.enabled, false);

        const yes = await restore([], { confirm: true });
        assert.equal(yes.code, 0, yes.stderr);
        assert.equal(writes().length, 2);
        assert.equal(emu.route(TEAM[0])!.enabled, true);
    });

    test("a route a stack manages is skipped, saying why; --include-managed restores it and says to refresh", async () => {
        const id = LIVE_ROUTE_IDS.productionAlerts;
        emu.editInUi(id, (r) => void (r.enabled = false));
        emu.deleteInUi(LIVE_ROUTE_IDS.stagingNotifications);
        emu.resetLog();
        const skipped = await restore(["--yes"]);
        assert.equal(skipped.code, 0, skipped.stderr);
        assert.match(
            skipped.stdout,
            /"Production Alerts": managed by stack production; skipped\. The stack is the source of truth: restore it with `pulumi up --stack production`/,
        );
        assert.match(skipped.stdout, /"Staging Notifications": managed by stack staging; skipped/);
        assert.deepEqual(writes(), []);

        const included = await restore(["--yes", "--include-managed"]);
        assert.equal(included.code, 0, included.stderr);
        assert.deepEqual(requestsTo(id).slice(-2), ["GET", "PUT"]);
        assert.equal(emu.route(id)!.enabled, true);
        const recreated = emu.routes().find((r) => r.name === "Staging Notifications")!;
        assert.ok(
            included.stdout.includes(`pulumi config set --stack staging --path 'alert-routing:adopt.stagingNotifications' ${recreated.id}`),
            included.stdout,
        );
        assert.match(included.stdout, /run `pulumi refresh --stack production`/);
        assert.match(included.stdout, /run `pulumi refresh --stack staging`/);
        assert.deepEqual(emu.managedResources(), [], "a restore claims nothing: the stack does on its next up");
    });

    test("a route edited between the GET and the PUT is not overwritten; exit 1 names it", async () => {
        emu.editInUi(TEAM[0], (r) => void (r.enabled = false));
        emu.inject({
            method: "PUT",
            path: `/v2/alert_routes/${TEAM[0]}`,
            kind: "ui-edit",
            mutate: (r) => void (r.name = "Edited meanwhile"),
        });
        emu.resetLog();
        const run = await restore(["--yes"]);
        assert.equal(run.code, 1);
        assert.equal(emu.route(TEAM[0])!.name, "Edited meanwhile", "the edit made meanwhile is kept");
        assert.match(
            run.stderr,
            new RegExp(
                `could not restore 1 route\\(s\\):\\n  ${TEAM[0]} "Team 001 alerts": changed in incident\\.io since it was read \\(version 2 → 3\\)`,
            ),
        );
        assert.match(run.stdout, /not overwritten/);
    });

    test("--only restores the routes named, by id or name, and refuses a name the folder does not hold", async () => {
        emu.editInUi(TEAM[0], (r) => void (r.enabled = false));
        emu.editInUi(TEAM[1], (r) => void (r.enabled = false));
        emu.resetLog();
        const run = await restore(["--yes", "--only", "Team 002 alerts"]);
        assert.equal(run.code, 0, run.stderr);
        assert.equal(emu.route(TEAM[0])!.enabled, false);
        assert.equal(emu.route(TEAM[1])!.enabled, true);
        assert.equal(emu.count("GET", "/v2/alert_routes/"), 1, "only the route asked for is read");
        emu.resetLog();
        const unknown = await restore(["--yes", "--only", "No such route"]);
        assert.equal(unknown.code, 2);
        assert.match(unknown.stderr, /--only "No such route": no route of that id or name/);
        assert.deepEqual(emu.requests, [], "refused before any request");
    });

    test("a file in the folder that is not a route backup stops it before any request", async () => {
        fs.writeFileSync(path.join(tmp, "backups", "incident.io", "broken.json"), "{not json");
        const run = await restore(["--yes"]);
        assert.equal(run.code, 1);
        assert.match(run.stderr, /broken\.json: not JSON/);
        assert.deepEqual(emu.requests, []);
    });

    test("a 403 while reading writes nothing", async () => {
        emu.editInUi(TEAM[0], (r) => void (r.enabled = false));
        emu.inject({ method: "GET", path: `/v2/alert_routes/${TEAM[1]}`, kind: "status", status: 403 });
        emu.resetLog();
        const run = await restore(["--yes"]);
        assert.equal(run.code, 1);
        assert.match(run.stderr, /the API key was refused: .*403.*\nNothing was written\./s);
        assert.deepEqual(writes(), []);
    });

    describe("the key, checked first", () => {
        for (const kind of ["viewerOnly", "teamScoped", "globalAccess"] as const) {
            test(`${kind}: stops before any write, naming the scope and the settings page; 0 writes`, async () => {
                await emu.close();
                await start(KEY_KINDS[kind]);
                emu.editInUi(TEAM[0], (r) => void (r.enabled = false));
                emu.resetLog();
                const run = await restore(["--yes"]);
                assert.equal(run.code, 1);
                assert.match(run.stderr, /lacks .*"Create and manage on-call resources" \(on_call_editor\)/);
                assert.match(run.stderr, /https:\/\/app\.incident\.io\/emulated-org\/settings\/api-keys/);
                assert.deepEqual(
                    emu.requests.map((r) => r.path),
                    ["/v1/identity"],
                );
                assert.equal(emu.route(TEAM[0])!.enabled, false);
            });
        }

        test("a viewer-only key may look (--dry-run), with no revoke reminder", async () => {
            await emu.close();
            await start(KEY_KINDS.viewerOnly);
            emu.editInUi(TEAM[0], (r) => void (r.enabled = false));
            const run = await restore(["--dry-run"]);
            assert.equal(run.code, 0, run.stderr);
            assert.match(run.stderr, /"Read-only key" \(can read alert routes\)/);
            assert.doesNotMatch(run.stderr, /revoke/);
            assert.match(run.stdout, /Restore 1 route: overwrite 1\. Dry run/);
        });

        test("a write key is named on stderr with the revoke reminder, unless --quiet", async () => {
            const run = await restore(["--yes"]);
            assert.match(
                run.stderr,
                /incident\.io API key "Emulator key" \(can read and change alert routes\)\nThis key can change alert routes: revoke it when you are done/,
            );
            const quiet = await restore(["--yes", "--quiet"]);
            assert.doesNotMatch(quiet.stderr, /API key|revoke/);
        });
    });
});
