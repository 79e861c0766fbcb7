// A table of bad config values: each must fail the program (as `pulumi preview` runs it) with its key
// named once, a command that fixes it, and nothing registered or read. Run per stack under mocks.
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";

import * as pulumi from "@pulumi/pulumi";

import { readStackConfig, StackConfigError } from "../../stack/config";
import type { Environment } from "../../stack/routes";
import { CANARY, TEST_ACCOUNT_IDS, fakeId, installMocks, stackTestConfig } from "./stackHarness";

interface BadValue {
    what: string;
    config: Record<string, unknown>;
    /** The key the problem must be reported under. */
    key: string;
    problem: RegExp;
}

export function badValues(stack: Environment): BadValue[] {
    const account = TEST_ACCOUNT_IDS[stack];
    const arn = (region: string, acct: string, name: string) => `arn:aws:secretsmanager:${region}:${acct}:secret:${name}-AbCdEf`;
    const am = (extra: Record<string, unknown>) => ({ "alert-routing:alertmanager": extra });
    return [
        {
            what: "a Checkly account id that is not the account's uuid",
            config: { "checkly:accountId": "12345" },
            key: "checkly:accountId",
            problem: /"12345" is not a Checkly account id/,
        },
        {
            what: "Checkly's dashboard for its API",
            config: { "checkly:baseUrl": "https://app.checklyhq.com" },
            key: "checkly:baseUrl",
            problem: /api\.checklyhq\.com/,
        },
        {
            what: "an incident.io id to adopt as the Checkly channel",
            config: { "alert-routing:adopt": { checklyChannel: fakeId("checklyChannel") } },
            key: "alert-routing:adopt.checklyChannel",
            problem: /is not a Checkly alert channel id \(a number/,
        },
        {
            what: "a misspelt region",
            config: { "aws:region": "us-east1" },
            key: "aws:region",
            problem: /"us-east1" is not an AWS region; did you mean us-east-1\?/,
        },
        { what: "a padded region", config: { "aws:region": " us-east-1" }, key: "aws:region", problem: /must be a plain, non-empty value/ },
        {
            what: "an upper-case region",
            config: { "aws:region": "US-EAST-1" },
            key: "aws:region",
            problem: /not an AWS region; did you mean us-east-1\?/,
        },
        { what: "a made-up region", config: { "aws:region": "us-central-1" }, key: "aws:region", problem: /not an AWS region/ },
        {
            what: "a short account id",
            config: { "alert-routing:aws": { accountId: "12345" } },
            key: "alert-routing:aws.accountId",
            problem: /not an AWS account id \(12 digits\)/,
        },
        {
            what: "an account id with dashes",
            config: { "alert-routing:aws": { accountId: "1234-5678-9012" } },
            key: "alert-routing:aws.accountId",
            problem: /not an AWS account id/,
        },
        {
            what: "a misspelt account key",
            config: { "alert-routing:aws": { accountID: account } },
            key: "alert-routing:aws.accountID",
            problem: /did you mean accountId\?/,
        },
        {
            what: "a secret name for an ARN",
            config: { "alert-routing:adoptTokenSecretArn": "unkey/alertmanager-incident-io" },
            key: "alert-routing:adoptTokenSecretArn",
            problem: /is not a Secrets Manager secret ARN/,
        },
        {
            what: "an ARN of another region",
            config: { "alert-routing:adoptTokenSecretArn": arn("eu-west-1", account, "unkey/alertmanager-incident-io") },
            key: "alert-routing:adoptTokenSecretArn",
            problem: /region eu-west-1, not aws:region us-east-1/,
        },
        {
            what: "an ARN of another account",
            config: { "alert-routing:adoptTokenSecretArn": arn("us-east-1", "999999999999", "unkey/alertmanager-incident-io") },
            key: "alert-routing:adoptTokenSecretArn",
            problem: /account 999999999999, not alert-routing:aws.accountId/,
        },
        {
            what: "an ARN of another secret",
            config: { "alert-routing:adoptTokenSecretArn": arn("us-east-1", account, "unkey/other") },
            key: "alert-routing:adoptTokenSecretArn",
            problem: /secret "unkey\/other", not "unkey\/alertmanager-incident-io"/,
        },
        {
            what: "an SSM parameter ARN",
            config: { "alert-routing:adoptTokenSecretArn": `arn:aws:ssm:us-east-1:${account}:parameter/token` },
            key: "alert-routing:adoptTokenSecretArn",
            problem: /not a Secrets Manager secret ARN/,
        },
        {
            what: "a store name with a space",
            config: { "alert-routing:secretStore": { name: "AWS Store" } },
            key: "alert-routing:secretStore.name",
            problem: /not a Kubernetes SecretStore name \(DNS-1123/,
        },
        {
            what: "a store name with an underscore",
            config: { "alert-routing:secretStore": { name: "aws_secrets" } },
            key: "alert-routing:secretStore.name",
            problem: /DNS-1123/,
        },
        {
            what: "a misspelt store key",
            config: { "alert-routing:secretStore": { nmae: "aws" } },
            key: "alert-routing:secretStore.nmae",
            problem: /did you mean name\?/,
        },
        {
            what: "an upper-case Alertmanager name",
            config: am({ name: "Kube-Prometheus" }),
            key: "alert-routing:alertmanager.name",
            problem: /not a Kubernetes Alertmanager name/,
        },
        {
            what: "an upper-case namespace",
            config: am({ namespace: "Monitoring" }),
            key: "alert-routing:alertmanager.namespace",
            problem: /not a Kubernetes namespace name \(DNS-1123 label/,
        },
        {
            what: "a namespace with a dot",
            config: am({ namespace: "monitoring.prod" }),
            key: "alert-routing:alertmanager.namespace",
            problem: /DNS-1123 label/,
        },
        {
            what: "an extra Secret with an underscore",
            config: am({ extraSecrets: ["alertmanager_slack"] }),
            key: "alert-routing:alertmanager.extraSecrets[0]",
            problem: /not a Kubernetes Secret name/,
        },
        {
            what: "extraSecrets as one string",
            config: am({ extraSecrets: "alertmanager-slack" }),
            key: "alert-routing:alertmanager.extraSecrets",
            problem: /must be a list of Secret names/,
        },
        {
            what: "extraSecret (singular)",
            config: am({ extraSecret: ["alertmanager-slack"] }),
            key: "alert-routing:alertmanager.extraSecret",
            problem: /did you mean extraSecrets\?/,
        },
        {
            what: "takeOverConfig: yes",
            config: am({ takeOverConfig: "yes" }),
            key: "alert-routing:alertmanager.takeOverConfig",
            problem: /must be true or false/,
        },
        {
            what: "takeoverConfig (case)",
            config: am({ takeoverConfig: true }),
            key: "alert-routing:alertmanager.takeoverConfig",
            problem: /did you mean takeOverConfig\?/,
        },
        {
            what: "a Slack channel name with #",
            config: { "alert-routing:slackChannels": { alerts: "#alerts" } },
            key: "alert-routing:slackChannels.alerts",
            problem: /"#alerts" is a channel name, not its id.*Channel ID/,
        },
        {
            what: "a Slack channel name",
            config: { "alert-routing:slackChannels": { alerts: "alerts" } },
            key: "alert-routing:slackChannels.alerts",
            problem: /is a channel name, not its id/,
        },
        {
            what: "a truncated Slack id",
            config: { "alert-routing:slackChannels": { alerts: "C123" } },
            key: "alert-routing:slackChannels.alerts",
            problem: /not a Slack channel id/,
        },
        {
            what: "a plain-http API origin",
            config: { "incident-io:baseUrl": "http://api.incident.io" },
            key: "incident-io:baseUrl",
            problem: /must use https/,
        },
        {
            what: "an API origin with a path",
            config: { "incident-io:baseUrl": "https://api.incident.io/v2" },
            key: "incident-io:baseUrl",
            problem: /without a path/,
        },
        {
            what: "an API origin with credentials",
            config: { "incident-io:baseUrl": "https://user:pw@api.incident.io" },
            key: "incident-io:baseUrl",
            problem: /must not contain credentials/,
        },
        {
            what: "an API origin with a query",
            config: { "incident-io:baseUrl": "https://api.incident.io?debug=1" },
            key: "incident-io:baseUrl",
            problem: /must not have a query/,
        },
        {
            what: "an alert source's URL instead of its id",
            config: { "alert-routing:alertSources": { alertmanager: "https://app.incident.io/acme/alerts/sources/01KHSNW67" } },
            key: "alert-routing:alertSources.alertmanager",
            problem: /cannot be an id: it holds "\/".*incident.io ids look like 01FCNDV6P870EA6S7TK1DSYDG0/,
        },
        {
            what: "a misspelt escalation path",
            config: { "alert-routing:escalationPaths": { engineeringOncall: fakeId("oncall") } },
            key: "alert-routing:escalationPaths.engineeringOncall",
            problem: /did you mean engineeringOnCall\?/,
        },
        {
            what: "a misspelt top-level key",
            config: { "alert-routing:adoptTokenSecretARN": arn("us-east-1", account, "unkey/alertmanager-incident-io") },
            key: "alert-routing:adoptTokenSecretARN",
            problem: /unknown key; did you mean alert-routing:adoptTokenSecretArn\?/,
        },
    ];
}

export const BAD_VALUE_COUNT = badValues("staging").length;

export function describeBadConfig(stack: Environment): void {
    const recorder = installMocks(stack);
    describe(`stack ${stack}: bad config fails before anything is registered or read`, () => {
        for (const bad of badValues(stack)) {
            it(`${bad.what}: ${bad.key}`, async () => {
                pulumi.runtime.setAllConfig(stackTestConfig(stack, { ...bad.config, "incident-io:apiKey": CANARY.apiKey }), [
                    "incident-io:apiKey",
                ]);
                const { alertRoutingStack } = await import("../../stack/program");
                let error: unknown;
                try {
                    alertRoutingStack();
                } catch (e) {
                    error = e;
                }
                assert.ok(error instanceof StackConfigError, `expected a StackConfigError, got ${String(error)}`);
                const mine = error.problems.filter((p) => p.key === bad.key);
                assert.equal(mine.length, 1, `${bad.key} reported once:\n${error.message}`);
                assert.match(mine[0].problem, bad.problem);
                assert.match(mine[0].fix, new RegExp(`pulumi config (set|rm) --stack ${stack}\\b`), mine[0].fix);
                assert.ok(mine[0].fix.includes(bad.key.replace(/\[\d+\]$/, "")), `the fix names the key: ${mine[0].fix}`);
                assert.ok(!error.message.includes(CANARY.apiKey), "no secret in the message");
                assert.deepEqual(recorder.resources, []);
                assert.deepEqual(recorder.reads, []);
            });
        }

        it("reports every problem at once, in one message", () => {
            const all = Object.assign(
                {},
                ...badValues(stack)
                    .filter((b) => !b.config["alert-routing:alertmanager"])
                    .map((b) => b.config),
            );
            pulumi.runtime.setAllConfig(stackTestConfig(stack, all), []);
            assert.throws(
                () => readStackConfig(stack, {}),
                (e: unknown) => e instanceof StackConfigError && e.problems.length >= 10 && new Set(e.problems.map((p) => p.key)).size >= 8,
            );
        });
    });
}
