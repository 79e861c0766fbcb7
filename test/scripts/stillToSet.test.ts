// The header of Pulumi.<stack>.yaml: it points at docs/configuration.md, and its "Still to set"
// list is what the program's config check still asks for. `discover-config --write` keeps it so.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";

import * as YAML from "yaml";

import { main as discoverConfig } from "../../scripts/discover-config";
import { headerWithStillToSet, stillToSet } from "../../scripts/stillToSet";
import { IncidentIoEmulator } from "../../dev/emulator";
import { PROJECT_ROOT } from "../../dev/paths";
import { seedWorkspace } from "../../dev/seed/workspace";
import { capturingIo, scratchProject } from "../support/scriptIo";

const API_KEY = "still-to-set-key";
const committed = (stack: string) => fs.readFileSync(path.join(PROJECT_ROOT, `Pulumi.${stack}.yaml`), "utf8");
const configOf = (text: string) => (YAML.parse(text) as { config: Record<string, unknown> }).config;
/** The header's list, item keys only (the words after a key are notes), or whole items with `notes`. */
function listed(text: string, notes = false): string[] {
    const lines = text.split(/\r?\n/);
    const start = lines.findIndex((l) => /^# Still to set/.test(l));
    if (start < 0) return [];
    const items: string[] = [];
    for (const line of lines.slice(start + 1)) {
        const m = /^#\s{3}((\S+).*)$/.exec(line);
        if (!m) break;
        items.push(notes ? m[1] : m[2]);
    }
    return items;
}

describe("Pulumi.<stack>.yaml's header", () => {
    it("each committed stack file points at docs/configuration.md and lists exactly what it still needs", () => {
        for (const stack of ["production", "staging"] as const) {
            const text = committed(stack);
            assert.match(text, /^# Still to set \(docs\/configuration\.md, "Stack configuration"/m, stack);
            assert.doesNotMatch(text, /README\.md, "Stack configuration"/, `${stack}: the old pointer is gone`);
            assert.deepEqual(
                listed(text),
                stillToSet(stack, configOf(text)).map((item) => item.split(" ")[0]),
                `${stack}: the committed list is the one --write would write`,
            );
            // Notes too: a secret's command as the config check prints it now (no value on the line), not a stale one.
            assert.deepEqual(listed(text, true), stillToSet(stack, configOf(text)), `${stack}: the committed notes are current`);
        }
        // An oracle independent of stillToSet: what staging's committed file leaves unset (test/stack/config.test.ts).
        assert.deepEqual(listed(committed("staging")), [
            "alert-routing:slackChannels.alerts",
            "incident-io:apiKey",
            "checkly:apiKey",
            "checkly:accountId",
            "alert-routing:aws.accountId",
            "alert-routing:secretStore.name",
            "alert-routing:alertmanager.name",
            "alert-routing:adopt.stagingNotifications",
        ]);
    });

    it("stillToSet follows the config: a key set (a secret counts) leaves the list; everything set says nothing is left", () => {
        const base = configOf(committed("staging"));
        const all = {
            ...base,
            "alert-routing:slackChannels": { alerts: "C04ALERTS01" },
            "incident-io:apiKey": { secure: "v1:AAAA" },
            "checkly:apiKey": { secure: "v1:BBBB" },
            "checkly:accountId": "1f3c8a2e-5b7d-4e9a-8c6f-2d4b6a8e0c1f",
            "alert-routing:aws": { accountId: "123456789012" },
            "alert-routing:secretStore": { name: "aws-secrets" },
            "alert-routing:alertmanager": { name: "main" },
        };
        assert.deepEqual(stillToSet("staging", all), [
            'alert-routing:adopt.stagingNotifications (first adoption only: the live "Staging Notifications")',
        ]);
        const adopted = { ...all, "alert-routing:adopt": { stagingNotifications: "01KH00000000000000000000AA" } };
        assert.deepEqual(stillToSet("staging", adopted), []);
        assert.match(headerWithStillToSet(" staging owns: x.", "staging", []), /Nothing left to set \(docs\/configuration\.md/);
        // aws.accountId stored as a number (what `pulumi config set --path` stores for digits) counts as set.
        const numeric = { ...base, "alert-routing:aws": { accountId: 123456789012 } };
        assert.ok(!stillToSet("staging", numeric).some((item) => item.startsWith("alert-routing:aws.accountId")));
    });

    it("headerWithStillToSet keeps the lines before the list, replaces the list, and is stable", () => {
        const header = " production owns: A.\n Only non-secret values.\n \n Still to set (README.md):\n   old.key\n   other.key";
        const next = headerWithStillToSet(header, "production", ["a.key", "b.key (note)"]);
        assert.equal(
            next,
            ' production owns: A.\n Only non-secret values.\n \n Still to set (docs/configuration.md, "Stack configuration"; ' +
                "`npm run discover-config -- --stack production --write` updates this list):\n   a.key\n   b.key (note)",
        );
        assert.equal(headerWithStillToSet(next, "production", ["a.key", "b.key (note)"]), next);
    });
});

describe("discover-config --write updates the list", { timeout: 120_000 }, () => {
    let emu: IncidentIoEmulator;
    let tmp: string;
    before(async () => {
        emu = await IncidentIoEmulator.start({ apiKey: API_KEY });
        seedWorkspace(emu);
        tmp = scratchProject("still-to-set-", ["production"]);
    });
    after(async () => {
        await emu.close();
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    async function discover(): Promise<{ code: number; stdout: string; stderr: string }> {
        const io = capturingIo(tmp, { key: API_KEY });
        const code = await discoverConfig(["--stack", "production", "--write", "--base-url", emu.url, "--project-dir", tmp], io, {
            retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20 },
        });
        return { code, ...io.out() };
    }

    it("the ids it wrote leave the list; what incident.io cannot tell stays; a key set by hand leaves it on the next --write", async () => {
        const file = path.join(tmp, "Pulumi.production.yaml");
        const run = await discover();
        assert.equal(run.code, 0, run.stderr);
        const text = fs.readFileSync(file, "utf8");
        assert.match(text, /^# production owns: Production Alerts/m, "the lines before the list are kept");
        assert.deepEqual(listed(text), [
            "incident-io:apiKey",
            "checkly:apiKey",
            "checkly:accountId",
            "alert-routing:aws.accountId",
            "alert-routing:secretStore.name",
            "alert-routing:alertmanager.name",
        ]);

        // The operator sets the AWS account (as `pulumi config set --path` stores it: a number).
        const doc = YAML.parseDocument(text);
        doc.setIn(["config", "alert-routing:aws"], doc.createNode({ accountId: 123456789012 }));
        fs.writeFileSync(file, doc.toString());
        const again = await discover();
        assert.equal(again.code, 0, again.stderr);
        assert.match(again.stdout, /wrote 0 key\(s\)/);
        assert.deepEqual(listed(fs.readFileSync(file, "utf8")), [
            "incident-io:apiKey",
            "checkly:apiKey",
            "checkly:accountId",
            "alert-routing:secretStore.name",
            "alert-routing:alertmanager.name",
        ]);
    });
});
