// The operator scripts on hostile text: a route name or a backup file (its name, its content) holding quotes, shell
// syntax, a newline, ESC/BEL (an OSC 52 clipboard write), a bidi override or a C1 control; two copies of one route in
// a folder; a symlink where a backup file should be. What they print shows such text escaped, never raw; what they
// cannot read they name and refuse before any write; a file's content is never echoed.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";

import { IncidentIoEmulator, type CreatePayload } from "../../dev/emulator";
import { LIVE_ROUTE_IDS, seedWorkspace } from "../../dev/seed/workspace";
import { main as backupRoutes } from "../../scripts/backup-routes";
import type { ScriptIo } from "../../scripts/cli";
import { main as importSources } from "../../scripts/import-sources";
import { main as restoreRoutes } from "../../scripts/restore-routes";
import { describeFinding } from "../../scripts/routeIds";
import { scratchProject } from "../support/scriptIo";

const API_KEY = "hostile-backups-key";
const FAST_RETRY = { retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20 } };
const HOSTILE = `evil '"$(touch /tmp/pwned)\`id\`\nNL \u001b]52;c;cHduZWQ=\u0007 \u202eRLO \u009b31m`;
/** Every control character a terminal acts on, but the line breaks the scripts print themselves. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe("operator scripts on hostile names and backup folders", () => {
    let emu: IncidentIoEmulator;
    let tmp: string;
    const backupDir = () => path.join(tmp, "backups", "incident.io");

    const run = async (main: (argv: string[], io: ScriptIo) => Promise<number>, args: string[]) => {
        const out = { stdout: "", stderr: "" };
        const io: ScriptIo = {
            log: (t) => (out.stdout += t),
            error: (t) => (out.stderr += t),
            isTTY: false,
            env: { INCIDENT_IO_TOKEN: API_KEY },
            cwd: tmp,
        };
        const code = await main(args, io);
        return { code, ...out, all: out.stdout + out.stderr };
    };
    const restore = (args: string[]) => run((argv, io) => restoreRoutes([...argv, "--base-url", emu.url], io, FAST_RETRY), args);
    const writes = () => emu.requests.filter((r) => r.method !== "GET");

    beforeEach(async () => {
        tmp = scratchProject("hostile-backups-", []);
        emu = await IncidentIoEmulator.start({ apiKey: API_KEY });
        seedWorkspace(emu, { otherRoutes: 2 });
    });
    afterEach(async () => {
        await emu.close();
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    test("restore-routes shows a hostile route name escaped in the plan, the progress lines and the table", async () => {
        const template = emu.route(LIVE_ROUTE_IDS.stagingNotifications)!;
        const hostile = emu.seedRoute({ ...(template as unknown as CreatePayload), name: HOSTILE }).id;
        assert.equal((await run((a, io) => backupRoutes([...a, "--base-url", emu.url, "--quiet"], io, FAST_RETRY), [])).code, 0);
        emu.editInUi(hostile, (r) => void (r.enabled = !r.enabled));
        emu.resetLog();
        for (const args of [["--dry-run"], ["--yes"]]) {
            const r = await restore([...args, "--only", hostile]);
            assert.equal(r.code, 0, r.all);
            assert.doesNotMatch(r.all, RAW, `${args[0]}: no raw control character reaches the terminal`);
            assert.ok(!r.all.includes("\nNL "), `${args[0]}: the name's newline is not a line break`);
            assert.ok(r.all.includes("\\x0aNL \\x1b]52;c;cHduZWQ=\\x07 \\u202eRLO \\x9b31m"), r.all);
        }
        assert.equal(writes().length, 1, "the one PUT of the --yes run");
        assert.ok(!fs.existsSync("/tmp/pwned") || fs.statSync("/tmp/pwned").mtimeMs < Date.now() - 60_000, "nothing ran");
    });

    test("restore-routes names unreadable files escaped, never echoes their content, and follows no symlink in the folder", async () => {
        assert.equal((await run((a, io) => backupRoutes([...a, "--base-url", emu.url, "--quiet"], io, FAST_RETRY), [])).code, 0);
        fs.writeFileSync(path.join(backupDir(), "zz.json"), "\u001b]52;c;cHduZWQ=\u0007 CONTENT-CANARY not json");
        fs.writeFileSync(path.join(backupDir(), "x\n\u001b]0;title\u0007.json"), "{");
        const secret = path.join(tmp, "elsewhere.env");
        fs.writeFileSync(secret, "INCIDENT_IO_TOKEN=LINKED-CANARY\n");
        fs.symlinkSync(secret, path.join(backupDir(), "link.json"));
        emu.resetLog();
        const r = await restore(["--dry-run"]);
        assert.equal(r.code, 1, r.all);
        assert.doesNotMatch(r.all, RAW, r.all);
        assert.match(r.stderr, /3 problem\(s\) in .*nothing was read from or written to incident\.io/);
        assert.match(r.stderr, /x\\x0a\\x1b\]0;title\\x07\.json: not JSON/);
        assert.match(r.stderr, /zz\.json: not JSON/);
        assert.match(r.stderr, /link\.json: not a regular file \(a symlink is not followed\)/);
        assert.ok(!r.all.includes("CONTENT-CANARY") && !r.all.includes("LINKED") && !r.all.includes("INCIDENT_I"), r.all);
        assert.deepEqual(emu.requests, [], "nothing asked of incident.io");
    });

    test("two copies of one route in a folder are refused by name before any write, whichever sorts first", async () => {
        assert.equal((await run((a, io) => backupRoutes([...a, "--base-url", emu.url, "--quiet"], io, FAST_RETRY), [])).code, 0);
        const id = Object.values(LIVE_ROUTE_IDS)[0];
        const current = JSON.parse(fs.readFileSync(path.join(backupDir(), `${id}.json`), "utf8")) as {
            alert_route: Record<string, unknown>;
        };
        const stale = { ...current, alert_route: { ...current.alert_route, name: "Last year's name", version: 1 } };
        fs.writeFileSync(path.join(backupDir(), "0-copy-from-last-year.json"), JSON.stringify(stale));
        emu.resetLog();
        for (const args of [["--dry-run"], ["--yes"]]) {
            const r = await restore(args);
            assert.equal(r.code, 1, r.all);
            assert.match(
                r.stderr,
                new RegExp(`holds route ${id} as .*: two copies of one route\\. Keep the one to use and move the other out`),
            );
            assert.match(r.stderr, /0-copy-from-last-year\.json/);
        }
        assert.deepEqual(writes(), [], "0 writes");
        assert.equal(emu.route(id)!.name, current.alert_route.name, "the live route keeps its name");
    });

    test("import-sources names a backup file it cannot read, and compares nothing", async () => {
        const dir = path.join(tmp, "out", "alert_sources");
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, "bad.json"), "{ not json");
        fs.writeFileSync(path.join(dir, "null.json"), "null");
        const r = await run(importSources, ["out"]);
        assert.equal(r.code, 1, r.all);
        assert.match(r.stderr, /2 file\(s\) in out cannot be read; nothing was compared/);
        assert.match(r.stderr, /out\/alert_sources\/bad\.json: not JSON \(at character 2\): skipped/);
        assert.match(r.stderr, /out\/alert_sources\/null\.json: not \{"alert_source": \{\.\.\.\}\} as backup-routes writes it/);
        assert.equal(r.stdout, "");
    });

    test("import-routes' id findings show an id from a backup escaped", () => {
        const line = describeFinding({ kind: "slack channel", id: `C04\u001b]52;c;x\u0007\u202e$(touch /tmp/pwned)`, keys: [] });
        assert.doesNotMatch(line, RAW);
        assert.ok(line.includes("C04\\x1b]52;c;x\\x07\\u202e$(touch /tmp/pwned)"), line);
    });
});
