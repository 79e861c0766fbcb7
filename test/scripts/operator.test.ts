// The operator scripts against the emulator: backup-routes (several pages, a 401, 5xx mid-way,
// byte-identical re-runs), discover-config (ids from live routes and the workspace's lists,
// ambiguity, --write keeping comments), and import-routes on what backup-routes wrote.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";

import * as YAML from "yaml";

import { fromResponse, withDefaults } from "../../providers/incident-io/model";
import { main as backupRoutes, ROUTE_FIELDS } from "../../scripts/backup-routes";
import { main as discoverConfig } from "../../scripts/discover-config";
import { main as importRoutes } from "../../scripts/import-routes";
import { IncidentIoEmulator } from "../../dev/emulator";
import { PROJECT_ROOT } from "../../dev/paths";
import { LIVE_IDS, LIVE_ROUTE_IDS, SOURCE_TOKEN_CANARY, seedWorkspace } from "../../dev/seed/workspace";
import { capturingIo, type CapturingIo, scratchProject } from "../support/scriptIo";

const API_KEY = "api-key-canary-5d1e0c";
const FAST_RETRY = { retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20 } };

interface Run {
    code: number;
    stdout: string;
    stderr: string;
}

function io(cwd: string, opts: { isTTY?: boolean; key?: string | null } = {}): CapturingIo {
    return capturingIo(cwd, { key: opts.key === undefined ? API_KEY : opts.key, isTTY: opts.isTTY });
}

/** An oracle independent of stableJson: the text is JSON indented by 2, and at every level the keys
 * come in sorted order (JSON.parse keeps the text's order of non-numeric keys). */
function assertSortedJson(text: string): void {
    const parsed: unknown = JSON.parse(text);
    assert.equal(text, `${JSON.stringify(parsed, null, 2)}\n`, "indented by 2, newline-terminated");
    const walk = (v: unknown, at: string): void => {
        if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
        else if (v && typeof v === "object") {
            const keys = Object.keys(v);
            assert.deepEqual(keys, [...keys].sort(), `keys of ${at} sorted`);
            for (const k of keys) walk((v as Record<string, unknown>)[k], `${at}.${k}`);
        }
    };
    walk(parsed, "$");
}

function assertNoSecrets(run: Run): void {
    for (const secret of [API_KEY, SOURCE_TOKEN_CANARY]) {
        assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret), `output holds ${secret}`);
    }
}

describe("operator scripts against the emulator", () => {
    let emu: IncidentIoEmulator;
    let tmp: string;

    const backup = async (args: string[], opts: { isTTY?: boolean; key?: string | null } = {}): Promise<Run> => {
        const s = io(tmp, opts);
        const code = await backupRoutes([...args, "--base-url", emu.url], s, FAST_RETRY);
        return { code, ...s.out() };
    };
    const discover = async (args: string[], opts: { key?: string | null } = {}): Promise<Run> => {
        const s = io(tmp, opts);
        const code = await discoverConfig([...args, "--base-url", emu.url, "--project-dir", tmp], s, FAST_RETRY);
        return { code, ...s.out() };
    };
    const jsonFiles = (dir: string) =>
        fs
            .readdirSync(dir)
            .filter((f) => f.endsWith(".json"))
            .sort();

    before(async () => {
        emu = await IncidentIoEmulator.start({ apiKey: API_KEY });
    });
    after(async () => {
        await emu.close();
    });
    beforeEach(async () => {
        await emu.close();
        emu = await IncidentIoEmulator.start({ apiKey: API_KEY });
        seedWorkspace(emu);
        tmp = scratchProject("operator-scripts-");
    });
    afterEach(() => {
        emu.onBetween = undefined;
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    describe("backup-routes", () => {
        it("saves every route of every page, one sorted file per id, and a re-run writes the same bytes", async () => {
            const first = await backup(["--out", "backups/incident.io"]);
            assert.equal(first.code, 0, first.stderr);
            const dir = path.join(tmp, "backups", "incident.io");
            const live = emu.routes();
            assert.equal(live.length, 126);
            assert.deepEqual(jsonFiles(dir), live.map((r) => `${r.id}.json`).sort());
            assert.equal(emu.count("GET", "/v2/alert_routes"), 3 + 126, "three list pages of 50, then one GET per route");
            for (const route of live) {
                const text = fs.readFileSync(path.join(dir, `${route.id}.json`), "utf8");
                // Only the route's documented fields are kept (an extra field of the answer is not).
                const known = Object.fromEntries(
                    ROUTE_FIELDS.filter((f) => f in route).map((f) => [f, (route as unknown as Record<string, unknown>)[f]]),
                );
                assert.deepEqual(JSON.parse(text), { alert_route: known });
                assertSortedJson(text);
            }
            assert.match(first.stdout, /^126 live alert route\(s\) → backups\/incident\.io/);
            assert.match(first.stdout, new RegExp(`${LIVE_ROUTE_IDS.productionAlerts}  v1 +production +saved +Production Alerts`));
            assert.match(first.stdout, new RegExp(`${LIVE_ROUTE_IDS.stagingNotifications}  v1 +staging +saved +Staging Notifications`));
            assert.match(first.stdout, /not managed by any stack +saved +Team 001 alerts/);
            assertNoSecrets(first);

            const before = Object.fromEntries(jsonFiles(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]));
            const again = await backup(["--out", "backups/incident.io"]);
            assert.equal(again.code, 0);
            assert.deepEqual(Object.fromEntries(jsonFiles(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")])), before);
            assert.ok(!/ saved /.test(again.stdout), "nothing rewritten");
            assert.equal(again.stdout.match(/ unchanged /g)?.length, 126);
        });

        it("defaults to backups/incident.io, shows progress on a terminal, and keeps files of deleted routes", async () => {
            const run = await backup([], { isTTY: true });
            assert.equal(run.code, 0);
            assert.match(run.stderr, /backing up alert routes: 126\/126/);
            assert.match(run.stderr, /listing alert routes: 126/);
            emu.deleteInUi(LIVE_ROUTE_IDS.informational);
            const again = await backup([]);
            assert.match(
                again.stdout,
                new RegExp(`kept 1 file\\(s\\) of routes that are no longer live: ${LIVE_ROUTE_IDS.informational}\\.json`),
            );
            assert.ok(fs.existsSync(path.join(tmp, "backups", "incident.io", `${LIVE_ROUTE_IDS.informational}.json`)));
        });

        it("a 401 writes nothing, creates no folder, and says what to check", async () => {
            const run = await backup(["--out", "out"], { key: "wrong-key" });
            assert.equal(run.code, 1);
            assert.match(run.stderr, /could not check the API key: incident\.io GET \/v1\/identity 401 .*check the API key/);
            assert.match(run.stderr, /Nothing was read or written/);
            assert.deepEqual(
                emu.requests.map((r) => r.path),
                ["/v1/identity"],
                "stopped at the key check",
            );
            assert.ok(!fs.existsSync(path.join(tmp, "out")));
        });

        it("without a key it stops before any request", async () => {
            const run = await backup([], { key: null });
            assert.equal(run.code, 2);
            assert.match(
                run.stderr,
                /INCIDENT_IO_TOKEN is not set: nothing was read\. .*`read -rs INCIDENT_IO_TOKEN && export INCIDENT_IO_TOKEN`, then paste the key/,
            );
            assert.equal(emu.requests.length, 0);
        });

        it("rides out a 5xx mid-way through the list, and names every route it could not save", async () => {
            let lists = 0;
            emu.onBetween = (req) => {
                if (req.path === "/v2/alert_routes" && ++lists === 1) {
                    emu.inject({ method: "GET", path: /^\/v2\/alert_routes$/, kind: "status", status: 503 });
                }
            };
            const broken = [LIVE_ROUTE_IDS.databaseAlerts, "01J2R0VTE00000000000000007"];
            for (const id of broken) emu.inject({ method: "GET", path: `/v2/alert_routes/${id}`, kind: "status", status: 500, times: 3 });
            const run = await backup(["--out", "out"]);
            assert.equal(run.code, 1);
            assert.equal(
                emu.requests.filter((r) => r.path === "/v2/alert_routes" && r.status === 503).length,
                1,
                "page 2 failed once, then was retried",
            );
            assert.equal(jsonFiles(path.join(tmp, "out")).length, 124);
            assert.match(run.stderr, /could not save 2 of 126 route\(s\); the other files are complete:/);
            assert.match(
                run.stderr,
                new RegExp(
                    `${LIVE_ROUTE_IDS.databaseAlerts} "Database Alerts": incident\\.io GET /v2/alert_routes/${LIVE_ROUTE_IDS.databaseAlerts} 500 .*after 3 attempts`,
                ),
            );
            assert.match(run.stderr, /01J2R0VTE00000000000000007 "Team 007 alerts"/);
            assert.match(run.stderr, /Run again once the cause is fixed: npm run backup-routes -- --out out/);
            assert.match(run.stdout, new RegExp(`${LIVE_ROUTE_IDS.databaseAlerts} +production +failed +Database Alerts`));
        });

        it("refuses an answer that is not the route asked for", async () => {
            const other = emu.route(LIVE_ROUTE_IDS.informational)!;
            emu.inject({
                method: "GET",
                path: `/v2/alert_routes/${LIVE_ROUTE_IDS.unroutedAlerts}`,
                kind: "status",
                status: 200,
                body: { alert_route: other },
            });
            const run = await backup(["--out", "out"]);
            assert.equal(run.code, 1);
            assert.match(
                run.stderr,
                new RegExp(
                    `${LIVE_ROUTE_IDS.unroutedAlerts} "Unrouted Alerts": .*the answer is route "${LIVE_ROUTE_IDS.informational}" .*not trusted`,
                ),
            );
            assert.ok(!fs.existsSync(path.join(tmp, "out", `${LIVE_ROUTE_IDS.unroutedAlerts}.json`)));
        });

        it("import-routes reads the folder as written: every owned route keyed, adopted, and the same as its definition", async () => {
            assert.equal((await discover(["--stack", "production", "--write"])).code, 0);
            assert.equal((await discover(["--stack", "staging", "--write"])).code, 0);
            assert.equal((await backup(["--out", "backups/incident.io"])).code, 0);
            let stdout = "";
            let stderr = "";
            const code = importRoutes([path.join(tmp, "backups", "incident.io"), "--project-dir", tmp], {
                log: (s) => (stdout += s),
                error: (s) => (stderr += s),
            });
            assert.equal(code, 0, stderr);
            assert.match(stdout, /126 route\(s\) in /);
            for (const [key, id] of Object.entries(LIVE_ROUTE_IDS)) {
                const stack = key === "stagingNotifications" ? "staging" : "production";
                assert.ok(stdout.includes(`pulumi config set --stack ${stack} --path 'alert-routing:adopt.${key}' ${id}`), key);
                assert.match(
                    stdout,
                    new RegExp(
                        `  ${key}  ${id}  v1  "[^"]+"  owned by ${stack}\\n      refers to:\\n(        .*\\n)+      same as stack/routes\\.ts\\n`,
                    ),
                );
            }
            assert.ok(!stdout.includes("one of alert-routing"), "with the stack files discover-config wrote, no id is undecided");
            assert.ok(stdout.includes(`alert source ${LIVE_IDS.production.alertSources.email} = alert-routing:alertSources.email`));
        });
    });

    describe("discover-config", () => {
        it("finds every id production needs and the routes to adopt, from the live routes and the workspace", async () => {
            const run = await discover(["--stack", "production"]);
            assert.equal(run.code, 0, run.stderr);
            const ids = LIVE_IDS.production;
            const expected = [
                ...Object.entries(ids).flatMap(([group, names]) =>
                    Object.entries(names).map(([name, id]) => `alert-routing:${group}.${name}' ${id}`),
                ),
                ...["productionAlerts", "productionWarnings", "unroutedAlerts", "databaseAlerts", "informational"].map(
                    (k) => `alert-routing:adopt.${k}' ${LIVE_ROUTE_IDS[k]}`,
                ),
            ];
            const lines = run.stdout.split("\n").filter((l) => l.startsWith("pulumi config set"));
            assert.equal(lines.length, expected.length);
            for (const e of expected)
                assert.ok(
                    lines.some((l) => l.startsWith(`pulumi config set --stack production --path '${e}   # `)),
                    e,
                );
            assert.ok(
                lines.some((l) =>
                    l.includes(
                        `alertSources.alertmanager' ${ids.alertSources.alertmanager}   # used as the Alertmanager alert source by the live routes "Production Alerts", "Production Warnings", "Unrouted Alerts"; already in Pulumi.production.yaml`,
                    ),
                ),
            );
            assert.ok(
                lines.some((l) => l.includes(`slackChannels.alerts' C04ALERTS01   # used as the #alerts Slack channel by the live routes`)),
            );
            assertNoSecrets(run);
            assert.deepEqual([...new Set(emu.requests.map((r) => `${r.method} ${r.path.replace(/\/01[0-9A-Z]{24}$/, "/{id}")}`))].sort(), [
                "GET /v1/identity",
                "GET /v2/alert_attributes",
                "GET /v2/alert_routes",
                "GET /v2/alert_routes/{id}",
                "GET /v2/alert_sources",
                "GET /v2/escalation_paths",
            ]);
            assert.equal(emu.count("GET", "/v1/identity"), 1, "the key is checked once");
            assert.equal(emu.count("GET", "/v2/escalation_paths"), 2, "32 paths: two pages of 25");
            assert.equal(emu.count("GET", "/v2/alert_routes/"), 5, "details of the five routes production owns, no others");
        });

        it("--write sets the keys in Pulumi.<stack>.yaml, keeps its comments, and a re-run changes nothing", async () => {
            const file = path.join(tmp, "Pulumi.production.yaml");
            const original = fs.readFileSync(file, "utf8");
            const run = await discover(["--stack", "production", "--write"]);
            assert.equal(run.code, 0, run.stderr);
            assert.match(run.stdout, /wrote 14 key\(s\) to Pulumi\.production\.yaml/);
            const text = fs.readFileSync(file, "utf8");
            // Every comment but the header's "Still to set" items, which --write updates (test/scripts/stillToSet.test.ts).
            for (const comment of original.split("\n").filter((l) => l.includes("#") && !/^#\s{3}\S/.test(l)))
                assert.ok(text.includes(comment.trim()), `lost comment: ${comment}`);
            const config = YAML.parse(text).config;
            assert.deepEqual(config["alert-routing:alertSources"], LIVE_IDS.production.alertSources);
            assert.deepEqual(config["alert-routing:alertAttributes"], LIVE_IDS.production.alertAttributes);
            assert.equal(config["alert-routing:adopt"].databaseAlerts, LIVE_ROUTE_IDS.databaseAlerts);
            assert.equal(config["aws:region"], "us-east-1");
            assert.ok(!text.includes(API_KEY));
            const again = await discover(["--stack", "production", "--write"]);
            assert.match(again.stdout, /wrote 0 key\(s\) to Pulumi\.production\.yaml \(all already set\)/);
            assert.equal(fs.readFileSync(file, "utf8"), text);
        });

        it("staging takes its own Alertmanager source from its route, not production's", async () => {
            const run = await discover(["--stack", "staging"]);
            assert.equal(run.code, 0, run.stderr);
            assert.ok(
                run.stdout.includes(`--path 'alert-routing:alertSources.alertmanager' ${LIVE_IDS.staging.alertSources.alertmanager}`),
            );
            assert.ok(run.stdout.includes(`--path 'alert-routing:adopt.stagingNotifications' ${LIVE_ROUTE_IDS.stagingNotifications}`));
            assert.ok(!run.stdout.includes(LIVE_IDS.production.alertSources.alertmanager));
        });

        it("never guesses: two live routes of one name, or two sources that fit, are named with their candidates", async () => {
            const twin = emu.seedRoute(withDefaults(fromResponse(emu.route(LIVE_ROUTE_IDS.productionWarnings) as never)) as never);
            const run = await discover(["--stack", "production"]);
            assert.equal(run.code, 1);
            assert.match(
                run.stderr,
                /alert-routing:adopt\.productionWarnings: 2 live routes are named "Production Warnings"; a stack adopts one/,
            );
            assert.ok(run.stderr.includes(`candidate: ${LIVE_ROUTE_IDS.productionWarnings} "Production Warnings" v1`));
            assert.ok(run.stderr.includes(`candidate: ${twin.id} "Production Warnings" v1`));
            assert.ok(!run.stdout.includes("adopt.productionWarnings"));

            // No live route at all: sources are found by type and name, and where two fit (here two of
            // type grafana, both named "Grafana Cloud" as stack/sources.ts names the one it adopts), both are listed.
            for (const r of emu.routes()) emu.deleteInUi(r.id);
            emu.addAlertSource({ id: "01J0GRAFANA0NPREM000000000", name: "Grafana Cloud", source_type: "grafana" });
            const fresh = await discover(["--stack", "production"]);
            assert.equal(fresh.code, 1);
            assert.match(
                fresh.stderr,
                /alert-routing:alertSources\.grafanaCloud: 2 fit the Grafana Cloud alert source \(of type grafana\); pick one in the dashboard and set it\./,
            );
            assert.ok(fresh.stderr.includes(`candidate: ${LIVE_IDS.production.alertSources.grafanaCloud} "Grafana Cloud" (grafana)`));
            assert.ok(fresh.stderr.includes(`candidate: 01J0GRAFANA0NPREM000000000 "Grafana Cloud" (grafana)`));
            assert.match(fresh.stderr, /alert-routing:slackChannels\.alerts: no live route of production shows the #alerts Slack channel/);
            assert.match(fresh.stderr, /then: pulumi config set --stack production --path 'alert-routing:alertSources\.grafanaCloud' <id>/);
            // What is certain is still printed: email by the name stack/sources.ts gives it, among two email sources.
            assert.ok(
                fresh.stdout.includes(
                    `alertSources.email' ${LIVE_IDS.production.alertSources.email}   # the only alert source of type email, named as in stack/sources.ts: "sev0@ email"`,
                ),
            );
            assert.ok(fresh.stdout.includes(`alertSources.planetScale' ${LIVE_IDS.production.alertSources.planetScale}`));
            assert.ok(fresh.stdout.includes(`escalationPaths.engineeringOnCall' ${LIVE_IDS.production.escalationPaths.engineeringOnCall}`));
            assert.match(
                fresh.stdout,
                /# note: no live route is named "Production Alerts": the first `pulumi up --stack production` creates it/,
            );
            assertNoSecrets(fresh);
        });

        it("a stack file that disagrees with the live routes is a problem, not overwritten", async () => {
            const file = path.join(tmp, "Pulumi.production.yaml");
            const doc = YAML.parseDocument(fs.readFileSync(file, "utf8"));
            doc.setIn(["config", "alert-routing:alertSources", "checkly"], "01J0WR0NGCHECK1Y000000000Z");
            fs.writeFileSync(file, doc.toString());
            const run = await discover(["--stack", "production", "--write"]);
            assert.equal(run.code, 1);
            assert.match(
                run.stderr,
                /alert-routing:alertSources\.checkly: Pulumi\.production\.yaml sets 01J0WR0NGCHECK1Y000000000Z, but incident\.io says otherwise/,
            );
            assert.equal(
                YAML.parse(fs.readFileSync(file, "utf8")).config["alert-routing:alertSources"].checkly,
                "01J0WR0NGCHECK1Y000000000Z",
            );
        });

        it("a 401 or a lasting 5xx stops it with nothing written", async () => {
            const denied = await discover(["--stack", "production", "--write"], { key: "wrong-key" });
            assert.equal(denied.code, 1);
            assert.match(denied.stderr, /could not check the API key: incident\.io GET \/v1\/identity 401 .*check the API key/);
            // The denied run stops at its first 401 while its other lists are still on their way; one of
            // them arriving late would take a fault meant for the next run.
            await emu.settled();
            let pages = 0;
            emu.onBetween = (req) => {
                if (req.path === "/v2/escalation_paths" && ++pages === 1)
                    emu.inject({ method: "GET", path: "/v2/escalation_paths", kind: "status", status: 502, times: 3 });
            };
            const broken = await discover(["--stack", "production", "--write"]);
            assert.equal(broken.code, 1);
            assert.match(broken.stderr, /incident\.io GET \/v2\/escalation_paths\?page_size=25&after=\w+ 502 .*after 3 attempts/);
            assert.equal(
                fs.readFileSync(path.join(tmp, "Pulumi.production.yaml"), "utf8"),
                fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.production.yaml"), "utf8"),
            );
            assert.equal((await discover(["--stack", "nope"])).code, 2);
        });
    });
});
