// What the stack's config check prints as fixes, and what an operator types for their placeholders: shared
// by the model test (test/stack/fixCommands.test.ts, Pulumi's storage rules as test/support/pulumiConfigCli.ts
// models them) and the end-to-end one (test/e2e/pastedCommands.test.ts, the same commands pasted into bash and
// run by the real CLI).
import * as assert from "node:assert/strict";

import * as pulumi from "@pulumi/pulumi";

import { readStackConfig, StackConfigError, type ConfigProblem } from "../../stack/config";
import type { Environment } from "../../stack/routes";
import { ASKED } from "./pulumiConfigCli";
import { CANARY, CHECKLY_TEST_CONFIG, fakeId, TEST_ACCOUNT_IDS } from "./stackHarness";

/** What an operator types for each placeholder. */
export function fill(stack: Environment) {
    return (placeholder: string, key: string): string => {
        switch (placeholder) {
            case "<12-digit account id>":
                return TEST_ACCOUNT_IDS[stack];
            case "<channel id>":
                return "C0ALERTS123";
            case ASKED:
                return CANARY.apiKey;
            case "<account id>":
                return CHECKLY_TEST_CONFIG["checkly:accountId"];
            case "<checkly channel id>":
                return "250311";
            case "<store name>":
                return "aws-secrets-manager";
            case "<alertmanager name>":
                return "kube-prometheus-stack-alertmanager";
            case "<secret name>":
                return "alertmanager-slack";
            case "<name>":
                return "monitoring";
            case "<secret ARN in this account>":
                return `arn:aws:secretsmanager:us-east-1:${TEST_ACCOUNT_IDS[stack]}:secret:unkey/alertmanager-incident-io-AbCdEf`;
            case "<id>":
            case "<live route id>":
                return fakeId(key.replace(/^.*\./, ""));
            default:
                throw new Error(`no value for the placeholder ${placeholder} of ${key}`);
        }
    };
}

/** The problems the stack's config check finds in `config` (PULUMI_CONFIG's form: objects as JSON text). */
export function problems(stack: Environment, config: Record<string, string>, secretKeys: string[] = []): ConfigProblem[] {
    pulumi.runtime.setAllConfig(config, ["incident-io:apiKey", ...secretKeys]);
    try {
        readStackConfig(stack, {});
        return [];
    } catch (error) {
        assert.ok(error instanceof StackConfigError, String(error));
        return error.problems;
    }
}
