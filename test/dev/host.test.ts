// Drives the real @pulumi/pulumi dynamic-provider host over gRPC with the
// counter fixture, in the order the engine would for up / refresh / destroy.
import * as assert from "node:assert/strict";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";

import * as pulumi from "@pulumi/pulumi";

import { counterProvider, readState } from "../support/counterProvider";
import { DynamicProviderHost, HostRpcError, serializeProvider, UNKNOWN, urnFor } from "../../dev/host";

const CANARY = `canary-${crypto.randomBytes(12).toString("hex")}`;
const ENDPOINT = "https://api.incident.io";
const fp = (s: string) => crypto.createHash("sha256").update(s).digest("hex").slice(0, 16);

describe("dynamic-provider host harness", { timeout: 120_000 }, () => {
    let host: DynamicProviderHost | undefined;
    let providerText: string;
    let tmpDir: string;
    let stateFile: string;
    const urn = urnFor("counter");

    before(async () => {
        tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "dyn-host-test-"));
        stateFile = path.join(tmpDir, "state.json");
        providerText = await serializeProvider(counterProvider);
        host = await DynamicProviderHost.start({ startupTimeoutMs: 20_000 });
    });

    after(async () => {
        await host?.stop();
        if (tmpDir) {
            fs.rmSync(tmpDir, { recursive: true, force: true });
        }
    });

    it("serializes like the SDK and without configure-time secrets", async () => {
        // The text embeds the captured variable's name, so mirror the SDK's `() => provider` exactly.
        const provider = counterProvider;
        const viaRuntime = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
        assert.equal(providerText, viaRuntime.text);
        assert.match(providerText, /^exports\.handler = /);
        assert.ok(!providerText.includes(CANARY));
        assert.equal(UNKNOWN, "04da6b54-80e4-46f7-96ec-b56ff0331ba9");
        assert.equal(urn, "urn:pulumi:test::alert-routing::pulumi-nodejs:dynamic:Resource::counter");
    });

    it("runs Configure → Check → Create → Read → Diff → Update → Delete", async () => {
        const h = host!;
        assert.ok(h.pid > 0);

        await h.configure({ "incident-io:apiKey": CANARY, "incident-io:endpoint": ENDPOINT }, { secretKeys: ["incident-io:apiKey"] });
        assert.deepEqual(h.configureResponse, {
            acceptSecrets: false,
            supportsPreview: false,
            acceptResources: false,
            acceptOutputs: false,
        });

        // Check: a bad input produces failures (not an RPC error).
        const bad = await h.check(urn, {}, { name: "x", count: -1, stateFile, __provider: providerText });
        assert.equal(bad.failures.length, 1);
        assert.equal(bad.failures[0].property, "count");
        assert.match(bad.failures[0].reason, /non-negative integer, got -1/);

        // Check (preview): unknowns arrive as the sentinel string and are echoed back.
        const preview = await h.check(urn, {}, { name: "counter", count: UNKNOWN, stateFile, __provider: providerText });
        assert.deepEqual(preview.failures, []);
        assert.equal(preview.inputs.count, UNKNOWN);
        const sawUnknown = readState(stateFile)
            .journal.filter((j) => j.op === "check")
            .at(-1)!;
        assert.equal(sawUnknown.count, UNKNOWN);
        assert.equal(sawUnknown.countIsUnknown, true);

        // Check (up): inputs normalised, __provider put back by the host.
        const checked = await h.check(urn, {}, { name: "  counter ", count: 1, stateFile, __provider: providerText });
        assert.deepEqual(checked.failures, []);
        assert.deepEqual(checked.inputs, { name: "counter", count: 1, stateFile, __provider: providerText });

        // Create: outputs carry __provider; configure saw the (unwrapped) config.
        const created = await h.create(urn, checked.inputs);
        assert.equal(created.id, "counter-1");
        assert.equal(created.properties.__provider, providerText);
        assert.equal(created.properties.count, 1);
        assert.equal(created.properties.endpoint, ENDPOINT);
        assert.equal(created.properties.apiKeyFingerprint, fp(CANARY));
        assert.equal(created.properties.configureCalls, 1);
        assert.equal(created.properties.hasProviderInInputs, true);

        // Read (refresh): stored outputs in, refreshed outputs out (+__provider).
        const read = await h.read(created.id, urn, created.properties, checked.inputs);
        assert.equal(read.id, created.id);
        assert.deepEqual(read.properties, created.properties);
        assert.equal(read.inputs, undefined);

        // Diff: olds = stored outputs, news = checked inputs.
        const same = await h.diff(created.id, urn, created.properties, checked.inputs);
        assert.deepEqual(same, { changes: "none", replaces: [], deleteBeforeReplace: false });

        const checked2 = await h.check(urn, checked.inputs, { name: "counter", count: 2, stateFile, __provider: providerText });
        assert.deepEqual(checked2.failures, []);
        const some = await h.diff(created.id, urn, created.properties, checked2.inputs);
        assert.deepEqual(some, { changes: "some", replaces: [], deleteBeforeReplace: false });

        const renamed = await h.diff(created.id, urn, created.properties, { ...checked2.inputs, name: "other" });
        assert.deepEqual(renamed, { changes: "some", replaces: ["name"], deleteBeforeReplace: true });

        // Update.
        const updated = await h.update(created.id, urn, created.properties, checked2.inputs);
        assert.equal(updated.properties.count, 2);
        assert.equal(updated.properties.previousCount, 1);
        assert.equal(updated.properties.oldsHadProvider, true);
        assert.equal(updated.properties.__provider, providerText);
        assert.equal(readState(stateFile).resources[created.id].count, 2);

        // Delete, then deleting again surfaces the provider's error text.
        await h.delete(created.id, urn, updated.properties);
        assert.deepEqual(readState(stateFile).resources, {});
        await assert.rejects(h.delete(created.id, urn, updated.properties), (e: unknown) => {
            assert.ok(e instanceof HostRpcError);
            assert.equal(e.message, "counter counter-1 does not exist");
            assert.equal(e.code, 2 /* UNKNOWN */);
            return true;
        });

        assert.deepEqual(
            readState(stateFile)
                .journal.filter((j) => j.op !== "check")
                .map((j) => j.op),
            ["create", "read", "update", "delete"],
        );
        // The provider was deserialized + configured exactly once in this process.
        const reread = await h.check(urn, {}, { name: "n", count: 0, stateFile, __provider: providerText });
        assert.deepEqual(reread.failures, []);
    });

    it("rejects Create errors with the provider's message", async () => {
        const h = host!;
        await assert.rejects(
            h.create(urnFor("explode"), { name: "explode", count: 0, stateFile, __provider: providerText }),
            (e: unknown) => {
                assert.ok(e instanceof Error);
                assert.equal(e.message, "incident.io API rejected explode: 422 Unprocessable Entity");
                assert.equal((e as HostRpcError).code, 2);
                return true;
            },
        );
    });

    it("reports peak memory and never logs the secret canary", async () => {
        const h = host!;
        const peak = h.peakMemoryBytes();
        assert.ok(peak > 10 * 1024 * 1024, `VmHWM ${peak}`);
        await h.stop();
        assert.ok(h.exitSignal !== null || h.exitCode !== null);
        // Logs are complete once stop() resolved. The failing Delete was logged to stderr.
        assert.ok(
            h.logs.some((l) => l.includes("counter counter-1 does not exist")),
            h.logs.join("\n"),
        );
        assert.ok(!h.logs.some((l) => l.includes(CANARY)));
        const onDisk = fs.readFileSync(stateFile, "utf8");
        assert.ok(!onDisk.includes(CANARY));
    });
});
