// backup-routes' source and attribute backups and import-sources on what it wrote, against the
// emulator seeded with the company's workspace: tokens never reach a file or a printed line, and
// the first adoption shows "same" for every source and attribute before anything is written.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";

import { main as backupRoutes } from "../../scripts/backup-routes";
import { main as importSources } from "../../scripts/import-sources";
import { TOKEN_REMOVED_NOTE } from "../../scripts/sourceBackups";
import { IncidentIoEmulator } from "../../dev/emulator";
import { LIVE_IDS, SOURCE_TOKEN_CANARY, seedWorkspace } from "../../dev/seed/workspace";
import { capturingIo, type CapturingIo } from "../support/scriptIo";

const API_KEY = "api-key-canary-9c2b71";

const io = (cwd: string): CapturingIo => capturingIo(cwd, { key: API_KEY });

describe("source and attribute backups, and import-sources", { timeout: 120_000 }, () => {
    let emu: IncidentIoEmulator;
    let tmp: string;
    let backupOut = { stdout: "", stderr: "" };

    before(async () => {
        emu = await IncidentIoEmulator.start({ apiKey: API_KEY });
        seedWorkspace(emu, { otherRoutes: 0, otherEscalationPaths: 0 });
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "source-backups-"));
        const s = io(tmp);
        assert.equal(await backupRoutes(["--out", "backups", "--base-url", emu.url], s), 0, s.out().stderr);
        backupOut = s.out();
    });
    after(async () => {
        await emu.close();
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("writes alert_sources/<id>.json without secret_token, saying so, and alert_attributes/<id>.json", () => {
        const dir = path.join(tmp, "backups", "alert_sources");
        const files = fs.readdirSync(dir).sort();
        assert.deepEqual(
            files,
            emu
                .alertSources()
                .map((s) => `${s.id}.json`)
                .sort(),
        );
        for (const file of files) {
            const text = fs.readFileSync(path.join(dir, file), "utf8");
            assert.ok(!text.includes(SOURCE_TOKEN_CANARY), `${file} holds a token`);
            const doc = JSON.parse(text) as { alert_source: Record<string, unknown>; note?: string };
            assert.equal(doc.alert_source.secret_token, undefined);
            const live = emu.alertSource(file.slice(0, -".json".length))!;
            assert.equal(doc.note, live.secret_token ? TOKEN_REMOVED_NOTE : undefined, `${file}: the note says the token was removed`);
            assert.equal(doc.alert_source.alert_events_url, live.alert_events_url);
        }
        const attributes = fs.readdirSync(path.join(tmp, "backups", "alert_attributes")).sort();
        assert.deepEqual(
            attributes,
            [...Object.values(LIVE_IDS.production.alertAttributes), "01J0TEAM000000000000000000"].map((id) => `${id}.json`).sort(),
        );
        assert.match(backupOut.stdout, /10 alert source\(s\) → backups\/alert_sources \(secret_token removed\), 3 alert attribute\(s\)/);
        assert.ok(!(backupOut.stdout + backupOut.stderr).includes(SOURCE_TOKEN_CANARY));
    });

    it("import-sources: every source and attribute of both stacks is found and the same as its table row", async () => {
        const s = io(tmp);
        assert.equal(await importSources(["backups"], s), 0, s.out().stderr);
        const { stdout } = s.out();
        for (const stack of ["production", "staging"] as const) {
            for (const [key, id] of Object.entries(LIVE_IDS[stack].alertSources)) {
                assert.match(stdout, new RegExp(`${stack}  source ${key} "[^"]+": ${id}  same\\n`));
                assert.ok(stdout.includes(`pulumi config set --stack ${stack} --path 'alert-routing:alertSources.${key}' ${id}\n`));
            }
        }
        for (const [key, id] of Object.entries(LIVE_IDS.production.alertAttributes)) {
            assert.match(stdout, new RegExp(`production  attribute ${key} "${key}": ${id}  same\\n`));
        }
        assert.match(stdout, /1 live source\(s\) no stack manages: "Support inbox"/);
        assert.ok(!stdout.includes(SOURCE_TOKEN_CANARY));
    });

    it("import-sources: a source edited in the dashboard differs, and is printed as its row of the table (no token)", async () => {
        const id = LIVE_IDS.production.alertSources.axiom;
        const file = path.join(tmp, "backups", "alert_sources", `${id}.json`);
        const doc = JSON.parse(fs.readFileSync(file, "utf8"));
        doc.alert_source.template.is_private = true;
        doc.alert_source.secret_token = `${SOURCE_TOKEN_CANARY}-old-backup`; // an old backup that still held it
        fs.writeFileSync(file, JSON.stringify(doc));
        const s = io(tmp);
        assert.equal(await importSources(["backups"], s), 0);
        const { stdout } = s.out();
        assert.match(stdout, new RegExp(`production  source axiom "Axiom": ${id}  differs: template`));
        assert.match(
            stdout,
            /The live "Axiom" differs from stack\/sources.ts \(differs: template\)\. To keep the live one, replace the production axiom row of SOURCES with this \(then npm run format\); the first adoption then writes nothing:\n {4}\{\n {8}key: "axiom",\n {8}owner: "production",\n {8}spec: \(\) => \(\{\n[\s\S]*? {12}is_private: true,/,
        );
        assert.ok(!stdout.includes(SOURCE_TOKEN_CANARY), "an old backup's token is never printed");
    });

    it("import-sources: an id from a file that is not an incident.io id is never printed in a command; names are escaped", async () => {
        const id = LIVE_IDS.staging.alertSources.alertmanager;
        const file = path.join(tmp, "backups", "alert_sources", `${id}.json`);
        const doc = JSON.parse(fs.readFileSync(file, "utf8"));
        const hostile = `${id}$(touch pwned)`;
        doc.alert_source.id = hostile;
        fs.writeFileSync(file, JSON.stringify(doc));
        const other = JSON.parse(fs.readFileSync(path.join(tmp, "backups", "alert_sources", "01J0EMA1SVPP0RT00000000000.json"), "utf8"));
        other.alert_source.name = "Support\u001b]52;c;cm0gLXJmIH4=\u0007 inbox";
        fs.writeFileSync(path.join(tmp, "backups", "alert_sources", "01J0EMA1SVPP0RT00000000000.json"), JSON.stringify(other));
        const s = io(tmp);
        assert.equal(await importSources(["backups"], s), 1, "a row without an id is not a success");
        const { stdout, stderr } = s.out();
        assert.ok(
            stderr.includes(
                `source alertmanager: the backup gives the id "${id}$(touch pwned)", which is not an id of letters, digits, _ and -: no command printed for it`,
            ),
            stderr,
        );
        assert.ok(!stdout.split("\n").some((l) => l.startsWith("pulumi config set") && l.includes("touch")), "no command with it");
        assert.ok(!stdout.includes("\u001b") && !stdout.includes("\u0007"), "no raw control character printed");
        assert.ok(stdout.includes("Support\\u001b]52;c;cm0gLXJmIH4=\\u0007 inbox"), stdout);
        // Every command printed is a quoted, --stack one.
        for (const line of stdout.split("\n").filter((l) => l.startsWith("pulumi config set")))
            assert.match(
                line,
                /^pulumi config set --stack (production|staging) --path 'alert-routing:alert(Sources|Attributes)\.\w+' [0-9A-Z]{26}$/,
            );
    });
});
