// The scripts check the key first (GET /v1/identity, once): its name on stderr, a revoke reminder
// for a key that can write unless --quiet, and a key without "View data" stopped before any other
// request, the scope named as the dashboard words it with the settings page.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, test } from "node:test";

import { IncidentIoEmulator, type EmulatedIdentity } from "../../dev/emulator";
import { main as backupRoutes } from "../../scripts/backup-routes";
import { KEY_KINDS } from "../support/keys";
import { capturingIo } from "../support/scriptIo";

const API_KEY = "key-check-canary-41c9";
const FAST_RETRY = { retry: { maxRetries: 1, baseDelayMs: 5, maxDelayMs: 10 } };

describe("backup-routes checks the key first", () => {
    let emu: IncidentIoEmulator | undefined;
    afterEach(async () => emu?.close());

    const run = async (identity: Partial<EmulatedIdentity>, extra: string[] = []) => {
        emu = await IncidentIoEmulator.start({ apiKey: API_KEY, identity });
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "key-check-"));
        const io = capturingIo(tmp, { key: API_KEY });
        const code = await backupRoutes(["--out", "out", "--base-url", emu.url, ...extra], io, FAST_RETRY);
        const { stdout, stderr } = io.out();
        assert.ok(!stdout.includes(API_KEY) && !stderr.includes(API_KEY), "the key is never printed");
        return { code, stdout, stderr, tmp, paths: emu.requests.map((r) => r.path) };
    };

    test("a write key: named on stderr with the revoke reminder; identity asked once", async () => {
        const r = await run(KEY_KINDS.write);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stderr, /incident\.io API key "Alert routing \(Pulumi\)" \(can read and change alert routes\)/);
        assert.match(r.stderr, /revoke it when you are done \(https:\/\/app\.incident\.io\/emulated-org\/settings\/api-keys\)/);
        assert.equal(r.paths.filter((p) => p === "/v1/identity").length, 1);
        assert.equal(r.paths[0], "/v1/identity", "before any other request");
    });

    test("--quiet prints neither the name nor the reminder", async () => {
        const r = await run(KEY_KINDS.write, ["--quiet"]);
        assert.equal(r.code, 0, r.stderr);
        assert.doesNotMatch(r.stderr, /API key|revoke/);
    });

    test("a viewer-only key reads: named, no revoke reminder", async () => {
        const r = await run(KEY_KINDS.viewerOnly);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stderr, /"Read-only key" \(can read alert routes\)/);
        assert.doesNotMatch(r.stderr, /revoke/);
    });

    test("a team-scoped key with viewer reads too (reading needs no on-call scope)", async () => {
        const r = await run(KEY_KINDS.teamScoped);
        assert.equal(r.code, 0, r.stderr);
    });

    test("an old-style global_access key without viewer stops after the identity call, naming the scope and the page", async () => {
        const r = await run(KEY_KINDS.globalAccess);
        assert.equal(r.code, 1);
        assert.deepEqual(r.paths, ["/v1/identity"]);
        assert.match(r.stderr, /lacks "View data, like public incidents and organization settings" \(viewer\)/);
        assert.match(r.stderr, /global_access/);
        assert.match(r.stderr, /https:\/\/app\.incident\.io\/emulated-org\/settings\/api-keys/);
        assert.match(r.stderr, /Nothing was read or written/);
        assert.ok(!fs.existsSync(path.join(r.tmp, "out")));
    });
});
