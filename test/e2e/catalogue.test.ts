// The sources, attributes and Checkly channel under the real Pulumi CLI: what the engine itself stores and
// prints. The leak suites follow the secrets through the real dynamic-provider host; here the engine decides
// what is encrypted in the state file, what `pulumi stack output` shows and what the CLI prints. Canaries: the
// incident.io key, the Checkly key and every alert source's token (the seeded organisation's tokens).
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";

import { ChecklyEmulator } from "../../dev/checkly-emulator";
import { LIVE_IDS, seedWorkspace, SOURCE_TOKEN_CANARY } from "../../dev/seed/workspace";
import { ALERT_SOURCE_TYPE } from "../../providers/incident-io";
import { CHECKLY_ALERT_CHANNEL_TYPE } from "../../providers/checkly";
import { CHECKLY_CHANNEL_NAMES } from "../../stack/checklyChannel";
import { CHECKLY_TEST_ACCOUNT } from "../support/checkly";
import { randomKey, writes } from "../support/e2eStack";
import { e2eSuite } from "../support/e2eSuite";
import { pulumiCliOrSkip } from "../support/pulumiCli";

const cli = pulumiCliOrSkip();

describe("staging: sources, attributes and the Checkly channel under the real CLI", { skip: !cli, timeout: 1_800_000 }, () => {
    const apiKey = randomKey("incident-key");
    const checklyKey = randomKey("checkly-key");
    const ids = LIVE_IDS.staging.alertSources;
    const tokens = Object.values(ids).map((id) => `${SOURCE_TOKEN_CANARY}-${id}`);
    let checkly: ChecklyEmulator;
    /** Everything the CLI printed in this suite. */
    const printed: string[] = [];
    const suite = e2eSuite("staging", {
        apiKey,
        seed: (emulator) => seedWorkspace(emulator, { otherRoutes: 2, otherEscalationPaths: 1 }),
        prepare: async (stack) => {
            checkly = await ChecklyEmulator.start({ apiKey: checklyKey, accountId: CHECKLY_TEST_ACCOUNT });
            await stack.pulumi([
                "config",
                "set-all",
                "--path",
                ...Object.entries(ids).map(([key, id]) => `--plaintext=alert-routing:alertSources.${key}=${id}`),
                "--plaintext=alert-routing-e2e:catalogue=true",
                `--plaintext=checkly:baseUrl=${checkly.url}`,
                `--plaintext=checkly:accountId=${CHECKLY_TEST_ACCOUNT}`,
                `--secret=checkly:apiKey=${checklyKey}`,
            ]);
        },
    });

    const run = async (args: string[]) => {
        const result = await suite.stack.pulumi(args);
        printed.push(result.output);
        return result;
    };

    it("up adopts both sources (no write to them) and creates the channel; a second preview changes nothing", async () => {
        const { emulator } = suite;
        emulator.resetLog();
        const up = await run(["up", "--yes", "--skip-preview"]);
        assert.deepEqual(
            writes(emulator).filter((w) => w.path.startsWith("/v2/alert_sources")),
            [],
            "the seeded sources match stack/sources.ts: adoption writes nothing",
        );
        assert.match(up.output, new RegExp(`${CHECKLY_ALERT_CHANNEL_TYPE.replace(/[/:]/g, ".")} checkly-channel created`), up.output);
        const [channel] = checkly.channels();
        assert.equal(channel.config.name, CHECKLY_CHANNEL_NAMES.staging);
        assert.ok(
            JSON.stringify(channel).includes(`Bearer ${SOURCE_TOKEN_CANARY}-${ids.checkly}`),
            "the channel posts with the Checkly source's token",
        );
        emulator.resetLog();
        const preview = await run(["preview", "--json"]);
        const summary = (JSON.parse(preview.stdout) as { changeSummary?: Record<string, number> }).changeSummary ?? {};
        assert.deepEqual(Object.keys(summary), ["same"], preview.stdout);
        assert.deepEqual(writes(emulator), []);
        await run(["refresh", "--yes"]);
    });

    it("the engine keeps every token and key encrypted: state, stack outputs and all the CLI printed hold no canary", async () => {
        const exported = (await run(["stack", "export"])).stdout;
        const outputs = (await run(["stack", "output", "--json"])).stdout;
        const canaries = [apiKey, checklyKey, ...tokens];
        for (const [where, text] of [
            ["pulumi stack export", exported],
            ["pulumi stack output --json", outputs],
            ["the CLI's output", printed.join("\n")],
        ] as const) {
            const hits = canaries.filter((c) => text.includes(c));
            assert.deepEqual(hits, [], `${where} shows ${hits.join(", ")}`);
        }
        // The canaries are there, inside the envelope: the search above could have found them.
        const revealed = (await suite.stack.pulumi(["stack", "export", "--show-secrets"])).stdout;
        for (const canary of [apiKey, checklyKey, `${SOURCE_TOKEN_CANARY}-${ids.checkly}`])
            assert.ok(revealed.includes(canary), `--show-secrets reveals ${canary}`);
        const state = JSON.parse(exported) as { deployment: { resources: Array<{ type: string; outputs?: Record<string, unknown> }> } };
        const sources = state.deployment.resources.filter((r) => r.type === ALERT_SOURCE_TYPE);
        assert.equal(sources.length, Object.keys(ids).length);
        for (const s of sources.filter((r) => r.outputs?.secret_token !== undefined))
            assert.match(JSON.stringify(s.outputs!.secret_token), /ciphertext/, "secret_token is stored as a secret");
    });

    it("destroy leaves the sources (retainOnDelete) and deletes the staging channel and route", async () => {
        const { emulator } = suite;
        emulator.resetLog();
        const destroyed = await run(["destroy", "--yes", "--skip-preview"]);
        assert.deepEqual(
            writes(emulator)
                .filter((w) => w.method === "DELETE")
                .map((w) => w.path.replace(/[^/]+$/, "{id}")),
            ["/v2/alert_routes/{id}"],
            destroyed.output,
        );
        for (const id of Object.values(ids)) assert.ok(emulator.alertSource(id), `source ${id} still live`);
        assert.equal(checkly.channels().length, 0, "staging's channel is deleted with its stack (docs/checkly-alert-channel.md)");
        await checkly.close();
    });
});
