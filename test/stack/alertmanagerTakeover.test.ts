// The takeover guard: the stack reads the live Alertmanager and refuses to patch one that mounts
// Secrets it does not list, or reads another config Secret, unless takeOverConfig is true.
// Pure rules first, then the program under mocks with a live Alertmanager of each kind.
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";

import * as pulumi from "@pulumi/pulumi";

import { alertmanagerBefore, takeoverProblems } from "../../stack/alertmanagerTakeover";
import { CANARY, installMocks, runStack, stackTestConfig, withConfig } from "../support/stackHarness";

const HELM_SPEC = { replicas: 2, secrets: ["alertmanager-slack-webhook"] }; // configSecret unset: alertmanager-<name>
const OTHER_CONFIG_SPEC = { configSecret: "alertmanager-pagerduty", secrets: ["alertmanager-incidentio"] };
const PATCH_TYPE = "kubernetes:monitoring.coreos.com/v1:AlertmanagerPatch";

describe("takeover rules (prometheus-operator semantics)", () => {
    const settings = { extraSecrets: [] as string[], takeOverConfig: false };

    it("an unset configSecret means the operator's default alertmanager-<name>", () => {
        const before = alertmanagerBefore("main", "monitoring", HELM_SPEC);
        assert.deepEqual(before, {
            name: "main",
            namespace: "monitoring",
            configSecret: "",
            effectiveConfigSecret: "alertmanager-main",
            secrets: ["alertmanager-slack-webhook"],
        });
    });

    it("names each unlisted Secret and the command that keeps it", () => {
        const problems = takeoverProblems(
            alertmanagerBefore("main", "monitoring", { ...HELM_SPEC, configSecret: "alertmanager-incident-io-config" }),
            settings,
            "staging",
        );
        assert.equal(problems.length, 1);
        assert.match(problems[0], /mounts Secret\(s\) "alertmanager-slack-webhook" \(spec\.secrets\), which the patch would unmount/);
        assert.match(
            problems[0],
            /pulumi config set --stack staging --plaintext --path 'alert-routing:alertmanager\.extraSecrets\[0\]' alertmanager-slack-webhook/,
        );
    });

    it("accepts Secrets listed in extraSecrets, and our own", () => {
        const before = alertmanagerBefore("main", "monitoring", {
            configSecret: "alertmanager-incident-io-config",
            secrets: ["alertmanager-incidentio", "alertmanager-slack-webhook"],
        });
        assert.deepEqual(takeoverProblems(before, { extraSecrets: ["alertmanager-slack-webhook"], takeOverConfig: false }, "staging"), []);
    });

    it("names another config Secret and the takeOverConfig command", () => {
        const problems = takeoverProblems(alertmanagerBefore("main", "monitoring", OTHER_CONFIG_SPEC), settings, "production");
        assert.equal(problems.length, 1);
        assert.match(problems[0], /reads its configuration from Secret "alertmanager-pagerduty", which the patch would replace/);
        assert.match(problems[0], /pulumi config set --stack production --path 'alert-routing:alertmanager\.takeOverConfig' true/);
    });

    it("takeOverConfig allows both; an AlertmanagerConfig-driven Alertmanager is refused regardless", () => {
        assert.deepEqual(
            takeoverProblems(alertmanagerBefore("main", "monitoring", HELM_SPEC), { extraSecrets: [], takeOverConfig: true }, "staging"),
            [],
        );
        const viaCr = alertmanagerBefore("main", "monitoring", { ...OTHER_CONFIG_SPEC, alertmanagerConfiguration: { name: "global" } });
        assert.match(
            takeoverProblems(viaCr, { extraSecrets: [], takeOverConfig: true }, "staging").join("\n"),
            /AlertmanagerConfig "global".*would never be read/,
        );
    });
});

/** Runs one stack against a live Alertmanager; returns the recorder and the program's error, if any. */
async function runAgainst(
    stack: "production" | "staging",
    liveAlertmanagerSpec: Record<string, unknown>,
    extra: Record<string, unknown> = {},
) {
    const recorder = installMocks(stack, { liveAlertmanagerSpec, preview: true });
    pulumi.runtime.setAllConfig(withConfig(stackTestConfig(stack, { "incident-io:apiKey": CANARY.apiKey }), extra), ["incident-io:apiKey"]);
    const { alertRoutingStack } = await import("../../stack/program");
    // The guard throws inside an apply, so the patch's registration rejects unhandled; Pulumi's
    // language host fails the program on exactly that (@pulumi/pulumi cmd/run/run.js:
    // process.on("unhandledRejection", uncaughtHandler)). Capture it the same way for this run.
    const errors: Error[] = [];
    const testRunnerListeners = process.listeners("unhandledRejection");
    process.removeAllListeners("unhandledRejection");
    const capture = (e: unknown) => errors.push(e as Error);
    process.on("unhandledRejection", capture);
    try {
        await runStack(() => alertRoutingStack());
    } catch (e) {
        errors.push(e as Error);
    } finally {
        // Let the rejected registration settle before the listeners are restored.
        for (let i = 0; i < 200 && errors.length === 0; i++) await new Promise((resolve) => setImmediate(resolve));
        process.off("unhandledRejection", capture);
        for (const listener of testRunnerListeners) process.on("unhandledRejection", listener);
    }
    return { recorder, error: errors[0] };
}

for (const stack of ["staging", "production"] as const) {
    describe(`${stack}: the guard under mocks (preview)`, () => {
        it("a live Alertmanager that mounts another Secret and uses the Helm config: preview fails naming both, no patch", async () => {
            const { recorder, error } = await runAgainst(stack, HELM_SPEC);
            assert.ok(error, "the preview must fail");
            assert.match(error.message, /Not patching Alertmanager monitoring\/kube-prometheus-stack-alertmanager/);
            assert.match(error.message, /"alertmanager-slack-webhook"/);
            assert.match(error.message, /"alertmanager-kube-prometheus-stack-alertmanager" \(spec\.configSecret is unset/);
            assert.equal(recorder.resources.filter((r) => r.type === PATCH_TYPE).length, 0, "the patch is never sent");
            assert.equal(recorder.reads.length, 1);
            assert.ok(!error.message.includes(CANARY.token) && !error.message.includes(CANARY.apiKey));
        });

        it("a live Alertmanager with another configSecret: preview fails naming it", async () => {
            const { recorder, error } = await runAgainst(stack, OTHER_CONFIG_SPEC);
            assert.ok(error, "the preview must fail");
            assert.match(error.message, /Secret "alertmanager-pagerduty"/);
            assert.doesNotMatch(error.message, /mounts Secret/);
            assert.equal(recorder.resources.filter((r) => r.type === PATCH_TYPE).length, 0);
        });

        it("with extraSecrets listed and takeOverConfig true: patches, keeps the Secret, exports what was there", async () => {
            const { recorder, error } = await runAgainst(stack, HELM_SPEC, {
                "alert-routing:alertmanager": { extraSecrets: ["alertmanager-slack-webhook"], takeOverConfig: true },
            });
            assert.equal(error, undefined, String(error));
            const patch = recorder.resources.filter((r) => r.type === PATCH_TYPE);
            assert.equal(patch.length, 1);
            assert.deepEqual(patch[0].inputs.spec, {
                configSecret: "alertmanager-incident-io-config",
                secrets: ["alertmanager-incidentio", "alertmanager-slack-webhook"],
            });
            assert.deepEqual(recorder.stackOutputs!.alertmanagerBefore, {
                name: "kube-prometheus-stack-alertmanager",
                namespace: "monitoring",
                configSecret: "",
                effectiveConfigSecret: "alertmanager-kube-prometheus-stack-alertmanager",
                secrets: ["alertmanager-slack-webhook"],
            });
        });
    });
}
