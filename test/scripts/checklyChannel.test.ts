// discover-config's Checkly step: the stack's channel is the one whose URL posts to the stack's
// incident.io Checkly source. A table of the pure rule, then the script against both emulators
// (the incident.io workspace seed and a Checkly account holding both stacks' UI channels).
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";

import * as YAML from "yaml";

import { ChecklyEmulator } from "../../dev/checkly-emulator";
import { IncidentIoEmulator } from "../../dev/emulator";
import { LIVE_IDS, SOURCE_TOKEN_CANARY, seedWorkspace } from "../../dev/seed/workspace";
import type { ScriptIo } from "../../scripts/cli";
import { CHANNELS_DIR, discoverChecklyChannel, HEADER_VALUES_REMOVED_NOTE, type ChannelCandidate } from "../../scripts/checklyChannel";
import { main as backupRoutes } from "../../scripts/backup-routes";
import { main as discoverConfig } from "../../scripts/discover-config";
import { CHECK_A } from "../support/checkly";
import { CHECKLY_TEST_ACCOUNT, incidentIoChannel } from "../support/checkly";
import { scratchProject } from "../support/scriptIo";

const TOKEN_CANARY = (stack: string) => `token-${stack}-canary-1f9e`;

const PROD_SOURCE = LIVE_IDS.production.alertSources.checkly;
const url = (id: string) => `https://api.incident.io/v2/alert_events/checkly/${id}`;
const channel = (id: string, name: string, to: string): ChannelCandidate => ({ id, name, url: to });

describe("discoverChecklyChannel (pure)", () => {
    const table: Array<{
        name: string;
        channels: ChannelCandidate[];
        source?: string;
        fileAdopt?: string;
        found?: string;
        problem?: RegExp;
        candidates?: string[];
        notes?: RegExp[];
    }> = [
        {
            name: "one channel posts to the source: found, whatever its name",
            channels: [channel("101", "renamed in the UI", url(PROD_SOURCE)), channel("102", "Slack", "https://hooks.slack.com/x")],
            source: PROD_SOURCE,
            found: "101",
        },
        {
            name: "a trailing slash on the URL is the same endpoint",
            channels: [channel("101", "incident.io (Production)", `${url(PROD_SOURCE)}/`)],
            source: PROD_SOURCE,
            found: "101",
        },
        {
            name: "two post to the source: a problem naming both, no guess",
            channels: [channel("101", "incident.io (Production)", url(PROD_SOURCE)), channel("103", "copy", url(PROD_SOURCE))],
            source: PROD_SOURCE,
            problem: /2 Checkly alert channels post to the Checkly source/,
            candidates: [`101 "incident.io (Production)" → ${url(PROD_SOURCE)}`, `103 "copy" → ${url(PROD_SOURCE)}`],
        },
        {
            name: "none posts to it: a note, naming the channel of the stack's name that posts elsewhere",
            channels: [channel("104", "incident.io (Production)", url("01KKZJERF1HQFJRE3XWFZ0NV19"))],
            source: PROD_SOURCE,
            notes: [/no Checkly alert channel posts to the Checkly source .*creates "incident.io \(Production\)"/, /posts elsewhere .*104/],
        },
        {
            name: "the stack file adopts another id: a problem naming both",
            channels: [channel("101", "incident.io (Production)", url(PROD_SOURCE))],
            source: PROD_SOURCE,
            fileAdopt: "999",
            problem: /adopts 999, but the Checkly channel posting to the Checkly source is 101/,
            candidates: ["999 (Pulumi.production.yaml)", `101 "incident.io (Production)" → ${url(PROD_SOURCE)} (Checkly)`],
        },
        {
            name: "a source id that only ends another id does not match",
            channels: [channel("101", "x", url(`X${PROD_SOURCE}`))],
            source: PROD_SOURCE,
            notes: [/no Checkly alert channel posts/],
        },
        {
            name: "the Checkly source not known: not looked for",
            channels: [channel("101", "incident.io (Production)", url(PROD_SOURCE))],
            notes: [/not looked for: alert-routing:alertSources.checkly is not known/],
        },
    ];
    for (const row of table) {
        it(row.name, () => {
            const d = discoverChecklyChannel("production", row.channels, row.source, row.fileAdopt);
            assert.equal(d.found?.value, row.found);
            if (row.found) assert.equal(d.found!.key, "alert-routing:adopt.checklyChannel");
            if (row.problem) assert.match(d.problem?.problem ?? "", row.problem);
            else assert.equal(d.problem, undefined);
            if (row.candidates) assert.deepEqual(d.problem!.candidates, row.candidates);
            assert.equal(d.notes.length, row.notes?.length ?? 0, d.notes.join("\n"));
            row.notes?.forEach((re, i) => assert.match(d.notes[i], re));
        });
    }
});

describe("discover-config finds each stack's Checkly channel", { timeout: 120_000 }, () => {
    const INCIDENT_KEY = "api-key-canary-5d1e0c";
    const CHECKLY_KEY = "checkly-key-canary-77a1";
    let incident: IncidentIoEmulator;
    let checkly: ChecklyEmulator;
    let tmp: string;
    const channelIds: Record<string, string> = {};

    const run = async (args: string[], env: Record<string, string> = {}) => {
        let stdout = "";
        let stderr = "";
        const io: ScriptIo = {
            log: (s) => (stdout += s),
            error: (s) => (stderr += s),
            isTTY: false,
            env: { INCIDENT_IO_TOKEN: INCIDENT_KEY, ...env },
            cwd: tmp,
        };
        const checklyUrl = args.includes("--checkly-base-url") ? [] : ["--checkly-base-url", checkly.url];
        const script = args[0] === "backup" ? backupRoutes : discoverConfig;
        const rest = args[0] === "backup" ? args.slice(1) : [...args, "--project-dir", tmp];
        const code = await script([...rest, ...checklyUrl, "--base-url", incident.url], io, {
            retry: { maxRetries: 1, baseDelayMs: 5, maxDelayMs: 20 },
        });
        for (const secret of [
            INCIDENT_KEY,
            CHECKLY_KEY,
            SOURCE_TOKEN_CANARY,
            "Bearer ",
            TOKEN_CANARY("production"),
            TOKEN_CANARY("staging"),
        ])
            assert.ok(!stdout.includes(secret) && !stderr.includes(secret), `the output holds ${secret}`);
        return { code, stdout, stderr };
    };
    const withChecklyEnv = { CHECKLY_API_KEY: CHECKLY_KEY, CHECKLY_ACCOUNT_ID: CHECKLY_TEST_ACCOUNT };

    before(async () => {
        incident = await IncidentIoEmulator.start({ apiKey: INCIDENT_KEY });
        seedWorkspace(incident);
        checkly = await ChecklyEmulator.start({ apiKey: CHECKLY_KEY, accountId: CHECKLY_TEST_ACCOUNT });
    });
    after(async () => {
        await checkly?.close();
        await incident?.close();
    });
    beforeEach(() => {
        for (const c of checkly.channels()) checkly.deleteInUi(c.id);
        // The channels made in Checkly's UI: one per stack, and one for Slack.
        for (const stack of ["production", "staging"] as const) {
            const name = stack === "production" ? "incident.io (Production)" : "incident.io (Staging)";
            const live = checkly.seedChannel(incidentIoChannel(name, url(LIVE_IDS[stack].alertSources.checkly), TOKEN_CANARY(stack)));
            channelIds[stack] = String(live.id);
        }
        checkly.seedChannel(incidentIoChannel("Slack #alerts", "https://hooks.slack.com/services/T0/B0/x", "slack-canary"));
        tmp = scratchProject("discover-checkly-");
        checkly.resetLog();
    });
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    for (const stack of ["production", "staging"] as const) {
        it(`${stack}: prints the quoted command for alert-routing:adopt.checklyChannel, with --stack, and --write puts it in the stack file`, async () => {
            const printed = await run(["--stack", stack], withChecklyEnv);
            assert.equal(printed.code, 0, printed.stderr);
            const line = printed.stdout.split("\n").find((l) => l.includes("adopt.checklyChannel"));
            assert.equal(
                line,
                `pulumi config set --stack ${stack} --path 'alert-routing:adopt.checklyChannel' ${channelIds[stack]}   # the Checkly channel "${
                    stack === "production" ? "incident.io (Production)" : "incident.io (Staging)"
                }" posts to the Checkly source ${LIVE_IDS[stack].alertSources.checkly}`,
            );
            assert.deepEqual(
                checkly.requests.map((r) => `${r.method} ${r.path}`),
                ["GET /v1/alert-channels"],
                "one read of Checkly, no write",
            );

            const written = await run(["--stack", stack, "--write"], withChecklyEnv);
            assert.equal(written.code, 0, written.stderr);
            const doc = YAML.parse(fs.readFileSync(path.join(tmp, `Pulumi.${stack}.yaml`), "utf8")) as {
                config: Record<string, Record<string, unknown>>;
            };
            assert.equal(String(doc.config["alert-routing:adopt"].checklyChannel), channelIds[stack]);
            // A re-run finds the same id already in the file: nothing to write, no problem.
            const again = await run(["--stack", stack, "--write"], withChecklyEnv);
            assert.equal(again.code, 0, again.stderr);
            assert.match(again.stdout, /posts to the Checkly source \S+; already in Pulumi/);
        });
    }

    it("backup-routes backs up each channel posting to incident.io, header values removed and the file saying so", async () => {
        checkly.subscribeInUi(channelIds.production, { checkId: CHECK_A, activated: true });
        const result = await run(["backup", "--out", "backups/incident.io"], withChecklyEnv);
        assert.equal(result.code, 0, result.stderr);
        assert.match(
            result.stdout,
            /2 Checkly alert channel\(s\) posting to incident\.io → backups\/incident\.io\/checkly_alert_channels \(header values removed\)/,
        );
        const dir = path.join(tmp, "backups", "incident.io", CHANNELS_DIR);
        assert.deepEqual(
            fs.readdirSync(dir).sort(),
            [`${channelIds.production}.json`, `${channelIds.staging}.json`].sort(),
            "not the Slack channel",
        );
        for (const stack of ["production", "staging"] as const) {
            const text = fs.readFileSync(path.join(dir, `${channelIds[stack]}.json`), "utf8");
            assert.ok(!text.includes(TOKEN_CANARY(stack)) && !text.includes("Bearer"), "no header value");
            const doc = JSON.parse(text) as {
                note: string;
                alert_channel: {
                    id: number;
                    config: { url: string; headers: Array<{ key: string; value: string; locked: boolean }> };
                    subscriptions: unknown[];
                };
            };
            assert.equal(doc.note, HEADER_VALUES_REMOVED_NOTE);
            assert.equal(String(doc.alert_channel.id), channelIds[stack]);
            assert.equal(doc.alert_channel.config.url, url(LIVE_IDS[stack].alertSources.checkly));
            assert.deepEqual(doc.alert_channel.config.headers, [
                { key: "Authorization", value: "(removed: a credential; see docs/checkly-alert-channel.md)", locked: true },
            ]);
            assert.equal(doc.alert_channel.subscriptions.length, stack === "production" ? 1 : 0, "subscriptions kept in the backup");
        }
        assert.equal(checkly.writes().length, 0, "a backup writes nothing to Checkly");
        // Without Checkly credentials: the routes are backed up as before, and a line says how to back up the channels.
        const without = await run(["backup", "--out", "backups/other"]);
        assert.equal(without.code, 0, without.stderr);
        assert.match(without.stdout, /Checkly alert channels not backed up: CHECKLY_API_KEY and CHECKLY_ACCOUNT_ID not set/);
        assert.ok(!fs.existsSync(path.join(tmp, "backups", "other", CHANNELS_DIR)));
    });

    it("two channels post to the stack's source: names both and exits 1, writing nothing for the key", async () => {
        const copy = checkly.seedChannel(incidentIoChannel("incident.io (Production) copy", url(PROD_SOURCE), "token-copy"));
        const result = await run(["--stack", "production", "--write"], withChecklyEnv);
        assert.equal(result.code, 1);
        assert.match(result.stderr, /alert-routing:adopt\.checklyChannel: 2 Checkly alert channels post to the Checkly source/);
        assert.ok(result.stderr.includes(`candidate: ${channelIds.production} "incident.io (Production)" → ${url(PROD_SOURCE)}`));
        assert.ok(result.stderr.includes(`candidate: ${copy.id} "incident.io (Production) copy" → ${url(PROD_SOURCE)}`));
        assert.ok(result.stderr.includes("then: pulumi config set --stack production --path 'alert-routing:adopt.checklyChannel' <id>"));
        assert.ok(!result.stdout.includes("adopt.checklyChannel'"), "no command printed for it");
        const doc = YAML.parse(fs.readFileSync(path.join(tmp, "Pulumi.production.yaml"), "utf8")) as {
            config: Record<string, Record<string, unknown> | undefined>;
        };
        assert.equal(doc.config["alert-routing:adopt"]?.checklyChannel, undefined);
    });

    it("without Checkly credentials: not looked for, says how, and the rest runs as before", async () => {
        const result = await run(["--stack", "staging"]);
        assert.equal(result.code, 0, result.stderr);
        assert.match(
            result.stdout,
            /# note: alert-routing:adopt\.checklyChannel was not looked for: CHECKLY_API_KEY and CHECKLY_ACCOUNT_ID not set: `read -rs CHECKLY_API_KEY && export CHECKLY_API_KEY` \(paste the Checkly API key, then Enter\) and `export CHECKLY_ACCOUNT_ID=<account id>` .*then run again: npm run discover-config -- --stack staging/,
        );
        assert.equal(checkly.count(), 0);
    });

    it("a --checkly-base-url that is not Checkly's API is refused before any request", async () => {
        incident.resetLog();
        const result = await run(["--stack", "staging", "--checkly-base-url", "https://app.checklyhq.com"], withChecklyEnv);
        assert.equal(result.code, 2);
        assert.match(result.stderr, /--checkly-base-url/);
        assert.equal(checkly.count(), 0);
        assert.equal(incident.count(), 0);
    });

    it("Checkly refusing the key: a problem naming the key, exit 1, no command printed for it", async () => {
        const result = await run(["--stack", "staging"], { ...withChecklyEnv, CHECKLY_API_KEY: "wrong-key-0000" });
        assert.equal(result.code, 1);
        assert.match(result.stderr, /alert-routing:adopt\.checklyChannel: could not read Checkly's alert channels: .*401/s);
        assert.ok(!result.stderr.includes("wrong-key-0000"));
    });
});
