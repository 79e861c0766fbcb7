// Issue 16, items 1 and 4 to 10 and 16: the operator scripts cannot hurt the repository or the
// state, and what they print is safe to paste. Each test is named after its item; each fails on the
// scripts as they were before the issue (see the closing note for the commit it was run against).
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";

import { withDefaults } from "../../providers/incident-io/model";
import { main as backupRoutes } from "../../scripts/backup-routes";
import { main as discoverConfig } from "../../scripts/discover-config";
import { main as importRoutes } from "../../scripts/import-routes";
import { main as importSources } from "../../scripts/import-sources";
import { IncidentIoEmulator } from "../../dev/emulator";
import { LIVE_IDS, LIVE_ROUTE_IDS, SOURCE_TOKEN_CANARY, seedWorkspace } from "../../dev/seed/workspace";
import { routeDefinitions } from "../../stack/routes";
import { capturingIo, type CapturingIo, scratchProject } from "../support/scriptIo";

const API_KEY = "api-key-canary-16-b7e2c9";
const FAST_RETRY = { retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20 } };
const BACKUPS = path.join(__dirname, "..", "fixtures", "backups");
/** An id an attacker would like pasted: it runs `touch pwned` in a shell that reads it unquoted. */
const EVIL_ID = "01J0R0VTE$(touch pwned)";
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

interface Run {
    code: number;
    stdout: string;
    stderr: string;
}

const scriptIo = (cwd: string): CapturingIo => capturingIo(cwd, { key: API_KEY });

/** import-routes resolves its paths from INIT_CWD (where npm was started), as npm runs it. */
function runImport(argv: string[], cwd: string): Run {
    let stdout = "";
    let stderr = "";
    const saved = process.env.INIT_CWD;
    process.env.INIT_CWD = cwd;
    try {
        const code = importRoutes(argv, { log: (s) => (stdout += s), error: (s) => (stderr += s) });
        return { code, stdout, stderr };
    } finally {
        if (saved === undefined) delete process.env.INIT_CWD;
        else process.env.INIT_CWD = saved;
    }
}

/** The route a backup fixture holds (wrapped as `{alert_route: ...}` or bare). */
function fixtureRoute(file: string): Record<string, unknown> {
    const json = JSON.parse(fs.readFileSync(path.join(BACKUPS, file), "utf8")) as { alert_route?: Record<string, unknown> };
    return json.alert_route ?? (json as Record<string, unknown>);
}

function writeJson(file: string, value: unknown): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** The same value with the keys of every object in reverse order. */
function reversedKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(reversedKeys);
    if (value && typeof value === "object")
        return Object.fromEntries(
            Object.keys(value)
                .sort()
                .reverse()
                .map((k) => [k, reversedKeys((value as Record<string, unknown>)[k])]),
        );
    return value;
}

describe("issue 16: scripts against the emulator", () => {
    let emu: IncidentIoEmulator;
    let tmp: string;

    const backup = async (args: string[], cwd = tmp): Promise<Run> => {
        const io = scriptIo(cwd);
        const code = await backupRoutes([...args, "--base-url", emu.url], io, FAST_RETRY);
        return { code, ...io.out() };
    };
    const discover = async (args: string[], cwd = tmp): Promise<Run> => {
        const io = scriptIo(cwd);
        const code = await discoverConfig([...args, "--base-url", emu.url], io, FAST_RETRY);
        return { code, ...io.out() };
    };
    const routeGets = () => emu.requests.filter((r) => /^\/v2\/alert_routes\/./.test(r.path)).length;
    const stagingFile = () => path.join(tmp, "Pulumi.staging.yaml");

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
        tmp = scratchProject("issue16-scripts-");
    });
    afterEach(() => {
        emu.onBetween = undefined;
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    describe("item 1: no injection", () => {
        it("issue 16 item 1: discover-config refuses a live id that is not a plain token: no command printed, nothing written by --write", async () => {
            // The staging route, as the dashboard holds it, under an id that runs code when pasted unquoted.
            const live = emu.route(LIVE_ROUTE_IDS.stagingNotifications)!;
            emu.deleteInUi(live.id);
            const [definition] = routeDefinitions("staging", LIVE_IDS.staging);
            emu.seedRoute(withDefaults(definition.spec) as never, { id: EVIL_ID });
            const before = fs.readFileSync(stagingFile(), "utf8");

            const run = await discover(["--stack", "staging", "--write"]);
            assert.equal(run.code, 1, run.stderr);
            assert.ok(!run.stdout.includes("touch pwned"), `printed:\n${run.stdout}`);
            assert.doesNotMatch(run.stdout, /adopt\.stagingNotifications/);
            assert.match(
                run.stderr,
                /alert-routing:adopt\.stagingNotifications: refused: incident\.io gave "01J0R0VTE\$\(touch pwned\)" .*not an id of letters, digits, _ and -; it was neither printed as a command nor written/,
            );
            const after = fs.readFileSync(stagingFile(), "utf8");
            assert.ok(!after.includes("touch pwned"), "the stack file never holds it");
            assert.notEqual(after, before, "the safe keys were still written");
        });

        it("issue 16 item 1: import-routes prints no command for a backup's unsafe id and escapes control characters in names", () => {
            const dir = path.join(tmp, "old-backups");
            const good = fixtureRoute("production-alerts.json");
            writeJson(path.join(dir, "good.json"), { alert_route: good });
            writeJson(path.join(dir, "evil-id.json"), { alert_route: { ...fixtureRoute("unrouted-alerts.json"), id: EVIL_ID } });
            const oscName = "Legacy \u001b]52;c;dG91Y2ggcHduZWQ=\u0007\nrm -rf ~";
            writeJson(path.join(dir, "evil-name.json"), { alert_route: { ...fixtureRoute("legacy-datadog.json"), name: oscName } });

            const run = runImport([dir], tmp);
            assert.equal(run.code, 1);
            assert.ok(!RAW_CONTROL.test(run.stdout + run.stderr), "no raw control character reaches the terminal");
            assert.ok(!run.stdout.includes("touch pwned"), "the unsafe id is in no command");
            assert.match(run.stdout, /Legacy \\x1b\]52;c;dG91Y2ggcHduZWQ=\\x07\\x0arm -rf ~/);
            assert.match(
                run.stderr,
                /evil-id\.json: the route id "01J0R0VTE\$\(touch pwned\)" is not an id of letters, digits, _ and -: skipped/,
            );
            assert.match(
                run.stdout,
                /pulumi config set --stack production --path 'alert-routing:adopt\.productionAlerts' 01J0R0VTEPR0DA1ERTS0000000/,
            );
        });
    });

    describe("item 2: the scripts' own flags", () => {
        it("issue 16 item 2: a script's fix names its own flag (--base-url), not the provider's config key", async () => {
            const io = scriptIo(tmp);
            const code = await backupRoutes(["--out", "out", "--base-url", "http://127.0.0.1:1/v2"], io, FAST_RETRY);
            const { stderr } = io.out();
            assert.equal(code, 2);
            // The fix is the flag with a good value, not a rerun that repeats the bad one.
            assert.match(stderr, /^--base-url must be the API's origin without a path .*: --base-url https:\/\/api\.incident\.io\n/);
            assert.doesNotMatch(stderr, /incident-io:baseUrl|pulumi config|run again later/);
        });

        it("issue 16 item 2: the run-again line repeats every flag that was given, each quoted", async () => {
            emu.inject({ method: "GET", path: "/v2/alert_sources", kind: "status", status: 503, times: 50 });
            const run = await discover(["--stack", "staging", "--write", "--project-dir", "."]);
            assert.equal(run.code, 1);
            assert.match(
                run.stderr,
                new RegExp(
                    `Fix the cause, then run again: npm run discover-config -- --stack staging --write --project-dir \\. --base-url ${emu.url.replace(/[.]/g, "\\.")}\n`,
                ),
            );
            const out = await backup(["--out", "my backups", "--stack", "staging"]);
            assert.equal(out.code, 1);
            assert.match(
                out.stderr,
                /Run again once the cause is fixed: npm run backup-routes -- --out 'my backups' --stack staging --base-url /,
            );
        });
    });

    describe("item 4: import-routes --out cannot overwrite the repository", () => {
        it("issue 16 item 4: import-routes --out refuses to overwrite an existing (tracked) file unless --force", () => {
            // `--out stack` run in the project: stack/routes.ts, a file git tracks, is there.
            const routesTs = path.join(tmp, "stack", "routes.ts");
            fs.mkdirSync(path.dirname(routesTs), { recursive: true });
            fs.writeFileSync(routesTs, "// the project's own route table\n");

            const refused = runImport([BACKUPS, "--out", "stack"], tmp);
            assert.equal(refused.code, 2);
            assert.match(refused.stderr, /--out .*stack already holds routes\.ts: nothing was written\. .*add --force to replace them/);
            assert.equal(fs.readFileSync(routesTs, "utf8"), "// the project's own route table\n");
            assert.deepEqual(fs.readdirSync(path.dirname(routesTs)), ["routes.ts"], "nothing else written either");

            const forced = runImport([BACKUPS, "--out", "stack", "--force"], tmp);
            assert.equal(forced.code, 0, forced.stderr);
            assert.match(fs.readFileSync(routesTs, "utf8"), /^\/\/ Generated by `npm run import-routes`/);
        });

        it("issue 16 item 4: import-routes --out naming a file is refused and the file is left as it was", () => {
            fs.writeFileSync(path.join(tmp, "notes.txt"), "mine\n");
            const run = runImport([BACKUPS, "--out", "notes.txt"], tmp);
            assert.equal(run.code, 2);
            assert.match(run.stderr, /--out .*notes\.txt is a file, not a folder: name a folder .*nothing was written/);
            assert.equal(fs.readFileSync(path.join(tmp, "notes.txt"), "utf8"), "mine\n");
        });
    });

    describe("item 5: discover-config --write never replaces an adoption id", () => {
        it("issue 16 item 5: discover-config --write reports an existing adopt.<key> with another id as a conflict and keeps it", async () => {
            const other = "01J0R0VTE0THERR0VTE0000000";
            fs.appendFileSync(stagingFile(), `  alert-routing:adopt:\n    stagingNotifications: ${other}\n`);
            const run = await discover(["--stack", "staging", "--write"]);
            assert.equal(run.code, 1);
            assert.match(
                run.stderr,
                new RegExp(
                    `alert-routing:adopt\\.stagingNotifications: Pulumi\\.staging\\.yaml adopts ${other}, but the live route "Staging Notifications" is ${LIVE_ROUTE_IDS.stagingNotifications}`,
                ),
            );
            assert.match(run.stderr, new RegExp(`candidate: ${other} \\(Pulumi\\.staging\\.yaml\\)`));
            const after = fs.readFileSync(stagingFile(), "utf8");
            assert.match(after, new RegExp(`stagingNotifications: ${other}`));
            assert.ok(!after.includes(LIVE_ROUTE_IDS.stagingNotifications), "the live id did not replace the file's");
            assert.doesNotMatch(run.stdout, /adopt\.stagingNotifications/, "no command to adopt the other id either");
        });
    });

    describe("item 6: scripts find the project", () => {
        it("issue 16 item 6: backup-routes run from a subdirectory writes backups/ at the project root, not beside the caller", async () => {
            const sub = path.join(tmp, "docs", "deep");
            fs.mkdirSync(sub, { recursive: true });
            const run = await backup(["--stack", "staging"], sub);
            assert.equal(run.code, 0, run.stderr);
            assert.ok(fs.existsSync(path.join(tmp, "backups", "incident.io", `${LIVE_ROUTE_IDS.stagingNotifications}.json`)));
            assert.ok(!fs.existsSync(path.join(sub, "backups")), "nothing beside the caller");
        });

        it("issue 16 item 6: backup-routes --out naming a file is a clear error before any request", async () => {
            fs.writeFileSync(path.join(tmp, "a-file"), "x");
            emu.resetLog();
            const run = await backup(["--out", "a-file"]);
            assert.equal(run.code, 2);
            assert.match(
                run.stderr,
                /--out a-file is a file, not a folder: name a folder \(it is created if missing\)\. Nothing was read or written\./,
            );
            assert.equal(emu.requests.length, 0);
            assert.equal(fs.readFileSync(path.join(tmp, "a-file"), "utf8"), "x");
        });

        it("issue 16 item 6: discover-config run from a subdirectory reads and writes the project's Pulumi.<stack>.yaml", async () => {
            const sub = path.join(tmp, "scripts");
            fs.mkdirSync(sub);
            const run = await discover(["--stack", "staging", "--write"], sub);
            assert.ok(!fs.existsSync(path.join(sub, "Pulumi.staging.yaml")), "no stack file beside the caller");
            assert.match(run.stdout, /wrote \d+ key\(s\) to Pulumi\.staging\.yaml: .*alert-routing:adopt\.stagingNotifications/);
            assert.match(
                fs.readFileSync(stagingFile(), "utf8"),
                new RegExp(`stagingNotifications: ${LIVE_ROUTE_IDS.stagingNotifications}`),
            );
        });
    });

    describe("item 7: backup-routes on a refused key, odd answers and secrets", () => {
        it("issue 16 item 7: backup-routes stops at the first 401/403: no further GET, no folder, no 'other files are complete'", async () => {
            emu.inject({ method: "GET", path: /^\/v2\/alert_routes\/./, kind: "status", status: 403, times: 1000 });
            const run = await backup(["--out", "out"]);
            assert.equal(run.code, 1);
            assert.match(run.stderr, /the API refused the key: .*403/);
            assert.match(run.stderr, /Stopped at the first refusal: 0 of 126 route\(s\) saved/);
            assert.doesNotMatch(run.stderr, /other files are complete/);
            // Only the GETs already in flight when the first answer came (the client's 8), not 126.
            assert.ok(routeGets() <= 8, `${routeGets()} route GETs after a refusal`);
            assert.ok(!fs.existsSync(path.join(tmp, "out")), "no empty folder");
        });

        it("issue 16 item 7: backup-routes saves a route listed twice across pages once", async () => {
            const ids = [LIVE_ROUTE_IDS.stagingNotifications, LIVE_ROUTE_IDS.productionAlerts];
            const slim = (id: string) => ({ id, name: emu.route(id)!.name, enabled: true });
            emu.inject({
                method: "GET",
                path: /^\/v2\/alert_routes$/,
                kind: "status",
                status: 200,
                body: { alert_routes: [slim(ids[0]), slim(ids[1])], pagination_meta: { page_size: 50, after: "page-2" } },
            });
            emu.inject({
                method: "GET",
                path: /^\/v2\/alert_routes$/,
                kind: "status",
                status: 200,
                body: { alert_routes: [slim(ids[1]), slim(ids[0])], pagination_meta: { page_size: 50 } },
            });
            const run = await backup(["--out", "out"]);
            assert.equal(run.code, 0, run.stderr);
            assert.match(run.stdout, /^2 live alert route\(s\)/);
            assert.equal(routeGets(), 2, "each route asked once");
            assert.deepEqual(
                fs
                    .readdirSync(path.join(tmp, "out"))
                    .filter((f) => f.endsWith(".json"))
                    .sort(),
                ids.map((i) => `${i}.json`).sort(),
            );
        });

        it("issue 16 item 7: a route answer with an object where a list belongs is named and not saved", async () => {
            const id = LIVE_ROUTE_IDS.informational;
            emu.inject({
                method: "GET",
                path: `/v2/alert_routes/${id}`,
                kind: "status",
                status: 200,
                body: { alert_route: { ...emu.route(id)!, condition_groups: { not: "a list" } } },
            });
            const run = await backup(["--out", "out"]);
            assert.equal(run.code, 1);
            assert.match(
                run.stderr,
                new RegExp(
                    `${id} "Informational": the answer is not a route: condition_groups is \\{"not":"a list"\\}, where a list belongs; not saved`,
                ),
            );
            assert.ok(!fs.existsSync(path.join(tmp, "out", `${id}.json`)));
        });

        it("issue 16 item 7: a secret_token or the key smuggled into a route answer never reaches a file", async () => {
            const id = LIVE_ROUTE_IDS.stagingNotifications;
            const route = emu.route(id)!;
            const token = `${SOURCE_TOKEN_CANARY}-smuggled`;
            emu.inject({
                method: "GET",
                path: `/v2/alert_routes/${id}`,
                kind: "status",
                status: 200,
                body: {
                    alert_route: {
                        ...route,
                        secret_token: token,
                        debug: { api_key: API_KEY, token },
                        alert_sources: route.alert_sources.map((s) => ({ ...s, secret_token: token })),
                    },
                },
            });
            const run = await backup(["--out", "out", "--stack", "staging"]);
            assert.equal(run.code, 0, run.stderr);
            const text = fs.readFileSync(path.join(tmp, "out", `${id}.json`), "utf8");
            assert.ok(!text.includes(SOURCE_TOKEN_CANARY), "no token in the file");
            assert.ok(!text.includes(API_KEY), "no key in the file");
            assert.ok(!("debug" in JSON.parse(text).alert_route), "only the route's known fields");
            for (const out of [run.stdout, run.stderr]) assert.ok(!out.includes(SOURCE_TOKEN_CANARY) && !out.includes(API_KEY));
        });

        it("issue 16 item 7: an API error that echoes an alert-source token is redacted like the key", async () => {
            // A token beside its field name (never seen by the client), on a route GET...
            const echoed = `${SOURCE_TOKEN_CANARY}-echoed`;
            emu.inject({
                method: "GET",
                path: `/v2/alert_routes/${LIVE_ROUTE_IDS.stagingNotifications}`,
                kind: "status",
                status: 500,
                times: 3,
                body: {
                    type: "internal_error",
                    status: 500,
                    errors: [{ message: `could not render secret_token "${echoed}" for ${API_KEY}` }],
                },
            });
            // ...and a source's token bare, once the client has seen it in the sources' list.
            const seen = `${SOURCE_TOKEN_CANARY}-${LIVE_IDS.staging.alertSources.alertmanager}`;
            emu.inject({
                method: "GET",
                path: "/v2/alert_attributes",
                kind: "status",
                status: 500,
                times: 3,
                body: { type: "internal_error", status: 500, errors: [{ message: `attribute cache holds ${seen}` }] },
            });
            const run = await backup(["--out", "out", "--stack", "staging"]);
            assert.equal(run.code, 1);
            assert.match(run.stderr, /could not render secret_token "\[redacted\]" for \[redacted\]/);
            assert.match(run.stderr, /attribute cache holds \[redacted\]/);
            assert.ok(!(run.stdout + run.stderr).includes(SOURCE_TOKEN_CANARY), "no token in the output");
            assert.ok(!(run.stdout + run.stderr).includes(API_KEY), "no key in the output");
        });
    });

    describe("item 8: import-routes reads what it can", () => {
        it("issue 16 item 8: a folder with one bad file reports the good routes and names the bad file (no TypeError, no RangeError)", () => {
            const dir = path.join(tmp, "mixed");
            writeJson(path.join(dir, "a-good.json"), { alert_route: fixtureRoute("production-alerts.json") });
            writeJson(path.join(dir, "b-wrong-type.json"), {
                alert_route: { ...fixtureRoute("unrouted-alerts.json"), condition_groups: 7 },
            });
            // Nesting deep enough to overflow a recursive reader (JSON.parse itself copes).
            const depth = 20_000;
            const deep = `${'{"nested":'.repeat(depth)}{}${"}".repeat(depth)}`;
            fs.writeFileSync(
                path.join(dir, "c-deep.json"),
                JSON.stringify({ alert_route: { ...fixtureRoute("legacy-datadog.json"), incident_template: "@" } }).replace('"@"', deep),
            );
            writeJson(path.join(dir, "d-good.json"), { alert_route: fixtureRoute("staging-notifications.json") });

            const run = runImport([dir], tmp);
            assert.equal(run.code, 1);
            assert.match(run.stdout, /productionAlerts {2}01J0R0VTEPR0DA1ERTS0000000/);
            assert.match(run.stdout, /stagingNotifications {2}01J0R0VTESTAG1NG0000000000/);
            assert.match(
                run.stderr,
                /b-wrong-type\.json: not a readable alert route \(condition_groups is 7, where a list belongs\): skipped/,
            );
            assert.match(run.stderr, /c-deep\.json: not a readable alert route \(nested more than 64 levels deep\): skipped/);
        });

        it("issue 16 item 8: an empty stack export says so truthfully", () => {
            const file = path.join(tmp, "export.json");
            writeJson(file, {
                version: 3,
                deployment: {
                    manifest: {},
                    resources: [
                        {
                            urn: "urn:pulumi:staging::alert-routing::pulumi:pulumi:Stack::alert-routing-staging",
                            type: "pulumi:pulumi:Stack",
                        },
                    ],
                },
            });
            const run = runImport([file], tmp);
            assert.equal(run.code, 1);
            assert.match(run.stderr, /export\.json: a stack export of 1 resource\(s\), none of them an alert route/);
            writeJson(file, { version: 3, deployment: { manifest: {}, resources: [] } });
            assert.match(
                runImport([file], tmp).stderr,
                /a stack export with no resources at all \(a stack never deployed, or destroyed\): no route to import/,
            );
        });
    });

    describe("item 9: --stack, and the stack file's misspelt keys", () => {
        it("issue 16 item 9: backup-routes --stack saves that stack's routes only", async () => {
            const run = await backup(["--out", "out", "--stack", "staging"]);
            assert.equal(run.code, 0, run.stderr);
            assert.deepEqual(
                fs.readdirSync(path.join(tmp, "out")).filter((f) => f.endsWith(".json")),
                [`${LIVE_ROUTE_IDS.stagingNotifications}.json`],
            );
            assert.match(run.stdout, /^1 live alert route\(s\)/);
            assert.equal(routeGets(), 1);
        });

        it("issue 16 item 9: import-routes --stack reports that stack's routes and summarises the rest in one line each", () => {
            const run = runImport([BACKUPS, "--stack", "staging"], tmp);
            assert.equal(run.code, 0, run.stderr);
            // The one-line-each form is item 14's (test/scripts/importRoutesStack.test.ts).
            assert.match(
                run.stdout,
                /4 route\(s\) in .*: 1 owned by stack staging, then the 3 other\(s\) in one line each \(--stack staging\)/,
            );
            assert.doesNotMatch(run.stdout, /--stack production/);
            assert.equal(runImport([BACKUPS, "--stack", "prod"], tmp).code, 2);
        });

        it("issue 16 item 9: import-sources --stack prints that stack's adoption ids only (the runbooks give every command --stack)", async () => {
            assert.equal((await backup(["--out", "out"])).code, 0);
            const io = scriptIo(tmp);
            const code = await importSources(["out", "--stack", "staging"], io);
            const { stdout } = io.out();
            assert.equal(code, 0, io.out().stderr);
            const commands = stdout.split("\n").filter((l) => l.startsWith("pulumi config set"));
            assert.ok(commands.length > 0, stdout);
            for (const c of commands)
                assert.match(c, /^pulumi config set --stack staging --path 'alert-routing:alert(Sources|Attributes)\./);
            assert.doesNotMatch(stdout, /^production /m);
            assert.equal(await importSources(["out", "--stack", "prod"], scriptIo(tmp)), 2);
        });

        it("issue 16 item 9: a misspelt namespace in Pulumi.<stack>.yaml (checkley:) is reported by the scripts that read the file", async () => {
            fs.appendFileSync(stagingFile(), "  checkley:apiKey: abc\n  alert-routing:adoptTokenSecretARN: arn\n");
            const discovered = await discover(["--stack", "staging"]);
            const imported = runImport([BACKUPS, "--stack", "staging"], tmp);
            for (const [name, run] of [
                ["discover-config", discovered],
                ["import-routes", imported],
            ] as const) {
                assert.match(
                    run.stderr,
                    /Pulumi\.staging\.yaml: checkley:apiKey: unknown namespace "checkley"; did you mean checkly:apiKey\? Nothing reads checkley:apiKey/,
                    name,
                );
                assert.match(
                    run.stderr,
                    /alert-routing:adoptTokenSecretARN: unknown key; did you mean alert-routing:adoptTokenSecretArn\?/,
                    name,
                );
            }
        });
    });

    describe("item 10: stack files", () => {
        it("issue 16 item 10: --write keeps a stack file's BOM and CRLF line endings", async () => {
            const text = fs.readFileSync(stagingFile(), "utf8").replace(/\n/g, "\r\n");
            fs.writeFileSync(stagingFile(), `\ufeff${text}`);
            const run = await discover(["--stack", "staging", "--write"]);
            assert.match(run.stdout, /wrote [1-9]\d* key\(s\) to Pulumi\.staging\.yaml/);
            const after = fs.readFileSync(stagingFile(), "utf8");
            assert.ok(after.startsWith("\ufeff"), "the BOM is kept");
            // Not by length: --write also shortens the header's "Still to set" list (item 15).
            assert.ok(after.includes("alerts: C04ALERTS01\r\n"), "keys were written");
            assert.doesNotMatch(after, /(^|[^\r])\n/, "every line ends in CRLF");
            assert.ok(after.includes(`stagingNotifications: ${LIVE_ROUTE_IDS.stagingNotifications}\r\n`));
        });

        for (const [name, text, message] of [
            [
                "invalid YAML",
                "config:\n  aws:region: [us-east-1\n",
                /Pulumi\.staging\.yaml \(line \d+, column \d+\): .*Nothing was printed or written; fix the file first\./,
            ],
            [
                "a duplicate key",
                "config:\n  aws:region: us-east-1\n  aws:region: eu-west-1\n",
                /Pulumi\.staging\.yaml \(line 3, column 3\): Map keys must be unique.*Nothing was printed or written/,
            ],
        ] as const) {
            it(`issue 16 item 10: ${name} in the stack file is named with the file before anything is printed or asked`, async () => {
                fs.writeFileSync(stagingFile(), text);
                emu.resetLog();
                const run = await discover(["--stack", "staging", "--write"]);
                assert.equal(run.code, 1);
                assert.equal(run.stdout, "", "nothing printed");
                assert.match(run.stderr, message);
                assert.equal(emu.requests.length, 0, "nothing asked");
                assert.equal(fs.readFileSync(stagingFile(), "utf8"), text, "nothing written");

                const imported = runImport([BACKUPS], tmp);
                assert.equal(imported.code, 1);
                assert.equal(imported.stdout, "");
                assert.match(imported.stderr, message);
            });
        }
    });

    describe("item 16: the guards' own tests", () => {
        it("issue 16 item 16: backup-routes' SAFE_ID guard: a listed id that names another path writes no file anywhere", async () => {
            const escape = "../../escaped";
            emu.inject({
                method: "GET",
                path: /^\/v2\/alert_routes$/,
                kind: "status",
                status: 200,
                body: { alert_routes: [{ id: escape, name: "Escaper", enabled: true }], pagination_meta: { page_size: 50 } },
            });
            // Were it asked, the API would answer with a route of that id.
            emu.inject({
                method: "GET",
                path: /^\/v2\/alert_routes\/\.\./,
                kind: "status",
                status: 200,
                times: 10,
                body: { alert_route: { ...emu.route(LIVE_ROUTE_IDS.informational)!, id: escape, name: "Escaper" } },
            });
            const out = path.join(tmp, "a", "b");
            const run = await backup(["--out", out]);
            assert.equal(run.code, 1);
            assert.match(
                run.stderr,
                /\.\.\/\.\.\/escaped "Escaper": the list gave "\.\.\/\.\.\/escaped", which is not an id of letters, digits, _ and -/,
            );
            assert.ok(!fs.existsSync(path.join(tmp, "escaped.json")), "no file outside --out");
            assert.equal(routeGets(), 0, "the id is never asked for either");
        });

        it("issue 16 item 16: backup files hold their keys sorted at every level (oracle independent of stableJson)", async () => {
            const id = LIVE_ROUTE_IDS.productionAlerts;
            // The answer's keys in reverse order at every level: only sorting can put them right.
            emu.inject({
                method: "GET",
                path: `/v2/alert_routes/${id}`,
                kind: "status",
                status: 200,
                body: { alert_route: reversedKeys(emu.route(id)) },
            });
            const run = await backup(["--out", "out", "--stack", "production"]);
            assert.equal(run.code, 0, run.stderr);
            const text = fs.readFileSync(path.join(tmp, "out", `${id}.json`), "utf8");
            // The oracle: JSON.parse keeps the text's key order; every object's keys must be in
            // code-unit order, and the text must be that value indented by 2.
            const parsed: unknown = JSON.parse(text);
            assert.equal(text, `${JSON.stringify(parsed, null, 2)}\n`);
            let objects = 0;
            const walk = (v: unknown, at: string): void => {
                if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
                else if (v && typeof v === "object") {
                    objects++;
                    const keys = Object.keys(v);
                    for (let i = 1; i < keys.length; i++) assert.ok(keys[i - 1] < keys[i], `${at}: "${keys[i - 1]}" before "${keys[i]}"`);
                    for (const k of keys) walk((v as Record<string, unknown>)[k], `${at}.${k}`);
                }
            };
            walk(parsed, "$");
            assert.ok(objects > 5, "the route's nested objects were walked");
        });
    });
});
