// Stack config: every problem reported at once, each with the key and the command that fixes it,
// before any resource is registered or any API is called.
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";

import * as pulumi from "@pulumi/pulumi";

import { readStackConfig, StackConfigError } from "../../stack/config";
import { CANARY, committedConfig, fakeId, installMocks, stackTestConfig, withConfig } from "../support/stackHarness";

const LIVE = fakeId("liveRoute");

const recorder = installMocks("production");
const SECRET_KEYS = ["incident-io:apiKey", "alert-routing:alertSourceToken", "checkly:apiKey"];

function problemsOf(stack: string, config: Record<string, string>, env: NodeJS.ProcessEnv = {}) {
    pulumi.runtime.setAllConfig(config, SECRET_KEYS);
    try {
        readStackConfig(stack, env);
    } catch (error) {
        assert.ok(error instanceof StackConfigError, String(error));
        assert.ok(pulumi.RunError.isInstance(error), "a RunError: Pulumi prints it without a stack trace");
        return { error, keys: error.problems.map((p) => p.key) };
    }
    return { error: undefined, keys: [] as string[] };
}

const complete = (stack: "production" | "staging") => stackTestConfig(stack, { "incident-io:apiKey": CANARY.apiKey });

describe("stack config", () => {
    it("production with only the committed file: names every missing key and its command", () => {
        const { error, keys } = problemsOf("production", committedConfig("production"));
        assert.deepEqual(keys, [
            "alert-routing:alertSources.email",
            "alert-routing:alertSources.grafanaCloud",
            "alert-routing:alertSources.planetScale",
            "alert-routing:alertSources.axiom",
            "alert-routing:alertSources.statusPageViews",
            "alert-routing:escalationPaths.engineeringOnCall",
            "alert-routing:slackChannels.alerts",
            "alert-routing:alertAttributes.severity",
            "alert-routing:alertAttributes.branch",
            "incident-io:apiKey",
            "checkly:apiKey",
            "checkly:accountId",
            "alert-routing:aws.accountId",
            "alert-routing:secretStore.name",
            "alert-routing:alertmanager.name",
        ]);
        const message = error!.message;
        assert.match(message, /Stack "production" cannot run: 15 configuration problem\(s\)/);
        assert.ok(
            message.includes(
                "pulumi config set --stack production --secret 'checkly:apiKey'   (it asks for the value without echo; or `read -rs CHECKLY_API_KEY && export CHECKLY_API_KEY`)",
            ),
            message,
        );
        assert.ok(
            message.includes("pulumi config set --stack production 'checkly:accountId' <account id>   (or export CHECKLY_ACCOUNT_ID)"),
            message,
        );
        assert.ok(
            message.includes("pulumi config set --stack production --path 'alert-routing:aws.accountId' <12-digit account id>"),
            message,
        );
        assert.ok(message.includes("pulumi config set --stack production --path 'alert-routing:alertSources.email' <id>"), message);
        assert.ok(message.includes("pulumi config set --stack production --path 'alert-routing:escalationPaths.engineeringOnCall' <id>"));
        assert.ok(
            message.includes(
                "pulumi config set --stack production --secret 'incident-io:apiKey'   (it asks for the value without echo; or `read -rs INCIDENT_IO_TOKEN && export INCIDENT_IO_TOKEN`)",
            ),
        );
        assert.ok(message.includes("pulumi config set --stack production --path 'alert-routing:alertmanager.name' <alertmanager name>"));
        assert.match(message, /alert-routing:alertSources\.email: not set: the id of the sev0@ email alert source/);
    });

    it("staging asks only for what its own routes and token path need", () => {
        const { keys } = problemsOf("staging", committedConfig("staging"));
        assert.deepEqual(keys, [
            "alert-routing:slackChannels.alerts",
            "incident-io:apiKey",
            "checkly:apiKey",
            "checkly:accountId",
            "alert-routing:aws.accountId",
            "alert-routing:secretStore.name",
            "alert-routing:alertmanager.name",
        ]);
    });

    it("Checkly: the key from CHECKLY_API_KEY, the account from CHECKLY_ACCOUNT_ID; malformed values and a non-numeric adoption id named", () => {
        const { "checkly:apiKey": _key, "checkly:accountId": account, ...rest } = complete("staging");
        const withoutChecklyKey = { ...rest, "checkly:accountId": account };
        assert.deepEqual(problemsOf("staging", withoutChecklyKey).keys, ["checkly:apiKey"]);
        assert.deepEqual(problemsOf("staging", withoutChecklyKey, { CHECKLY_API_KEY: "cu_env" }).keys, []);
        assert.deepEqual(problemsOf("staging", rest, { CHECKLY_API_KEY: "cu_env", CHECKLY_ACCOUNT_ID: account }).keys, []);
        const bad = problemsOf(
            "staging",
            withConfig(complete("staging"), {
                "checkly:accountId": "12345",
                "checkly:baseUrl": "https://app.checklyhq.com",
                "alert-routing:adopt": { checklyChannel: "01KKZJERF1HQFJRE3XWFZ0NV19" },
            }),
        );
        assert.deepEqual(bad.keys, ["alert-routing:adopt.checklyChannel", "checkly:accountId", "checkly:baseUrl"]);
        const message = bad.error!.message;
        assert.match(message, /"01KKZJERF1HQFJRE3XWFZ0NV19" is not a Checkly alert channel id/);
        assert.match(message, /"12345" is not a Checkly account id/);
        assert.ok(
            message.includes("pulumi config set --stack staging --path 'alert-routing:adopt.checklyChannel' <checkly channel id>"),
            message,
        );
        assert.ok(message.includes("pulumi config set --stack staging 'checkly:baseUrl' https://api.checklyhq.com"), message);
        // A Checkly id is not a route's: it is read apart from the routes' adoption ids.
        pulumi.runtime.setAllConfig(withConfig(complete("staging"), { "alert-routing:adopt": { checklyChannel: "250311" } }), SECRET_KEYS);
        const config = readStackConfig("staging", {});
        assert.equal(config.adoptChecklyChannel, "250311");
        assert.deepEqual(config.adopt, {});
        assert.deepEqual(config.checkly, { baseUrl: "https://api.checklyhq.com", accountId: account });
    });

    it("takes the API key from INCIDENT_IO_TOKEN when the secret config is unset", () => {
        const config = stackTestConfig("staging");
        assert.deepEqual(problemsOf("staging", config).keys, ["incident-io:apiKey"]);
        assert.deepEqual(problemsOf("staging", config, { INCIDENT_IO_TOKEN: CANARY.apiKey }).keys, []);
    });

    it("reads a complete config into typed values with defaults", async () => {
        pulumi.runtime.setAllConfig(
            withConfig(complete("production"), {
                "alert-routing:adopt": { productionAlerts: LIVE },
                "kubernetes:context": "prod-cluster",
            }),
            SECRET_KEYS,
        );
        const config = readStackConfig("production", {});
        assert.equal(config.environment, "production");
        assert.equal(config.routeIds.alertSources.alertmanager, "01KHSNW67SZJ1KGWEMA9C0GPT7");
        assert.deepEqual(config.adopt, { productionAlerts: LIVE });
        assert.deepEqual(config.aws, {
            region: "us-east-1",
            accountId: "123456789012",
            profile: undefined,
            adoptTokenSecretArn: undefined,
        });
        assert.deepEqual(config.kubernetes, {
            context: "prod-cluster",
            namespace: "monitoring",
            secretStoreRef: { name: "aws-secrets-manager", kind: "ClusterSecretStore" },
            alertmanagerName: "kube-prometheus-stack-alertmanager",
            alertmanagerExtraSecrets: [],
            alertmanagerTakeOverConfig: false,
        });
        assert.equal(config.incidentIo.baseUrl, "https://api.incident.io");
        assert.equal(await pulumi.isSecret(config.incidentIo.apiKey), true);
    });

    it("alert-routing:alertSourceToken is no longer read: a stack file that still sets it is told why and how to remove it, its value never shown", () => {
        const { error, keys } = problemsOf("staging", withConfig(complete("staging"), { "alert-routing:alertSourceToken": CANARY.token }));
        assert.deepEqual(keys, ["alert-routing:alertSourceToken"]);
        const message = error!.message;
        assert.match(
            message,
            /alert-routing:alertSourceToken: is no longer read: the token Alertmanager presents is the Alertmanager source's secret_token output/,
        );
        assert.ok(message.includes("pulumi config rm --stack staging 'alert-routing:alertSourceToken'"), message);
        assert.equal(message.includes(CANARY.token), false, "the token is not repeated");
    });

    it("a new route beside a live one of its name: an error in production, a warning in staging, unless the stack says otherwise", () => {
        const read = (stack: "production" | "staging", extra: Record<string, string> = {}) => {
            pulumi.runtime.setAllConfig({ ...complete(stack), ...extra }, SECRET_KEYS);
            return readStackConfig(stack, {}).sameNameLiveRoute;
        };
        assert.equal(read("production"), "error");
        assert.equal(read("staging"), "warn");
        assert.equal(read("production", { "alert-routing:sameNameLiveRoute": "warn" }), "warn");
        assert.equal(read("staging", { "alert-routing:sameNameLiveRoute": "error" }), "error");
        const { error, keys } = problemsOf("production", { ...complete("production"), "alert-routing:sameNameLiveRoute": "loud" });
        assert.deepEqual(keys, ["alert-routing:sameNameLiveRoute"]);
        assert.match(error!.message, /must be "error" or "warn", got "loud"/);
        assert.ok(error!.message.includes("pulumi config set --stack production 'alert-routing:sameNameLiveRoute' error"), error!.message);
    });

    it("refuses to adopt another stack's route, an unknown route, or one live id twice", () => {
        const { error, keys } = problemsOf(
            "staging",
            withConfig(complete("staging"), {
                "alert-routing:adopt": { stagingNotifications: LIVE, productionAlerts: LIVE, prodAlerts: "01X" },
            }),
        );
        assert.deepEqual(keys, [
            "alert-routing:adopt.prodAlerts",
            "alert-routing:adopt.productionAlerts",
            "alert-routing:adopt.productionAlerts",
        ]);
        assert.match(error!.message, /"Production Alerts" is owned by the production stack, not staging/);
        assert.match(error!.message, /pulumi config rm --stack staging --path 'alert-routing:adopt\.productionAlerts'/);
        assert.match(error!.message, /unknown name "prodAlerts"; did you mean productionAlerts\? adopt takes productionAlerts, /);
    });

    it("reports typos, placeholders, bad kinds and non-objects instead of ignoring them, each key once", () => {
        const { error, keys } = problemsOf(
            "staging",
            withConfig(complete("staging"), {
                "alert-routing:alertSources": { alertmanger: "01X", checkly: "<id>" },
                "alert-routing:secretStore": { name: "aws", kind: "VaultStore" },
                "alert-routing:alertAttributes": "severity",
                "alert-routing:adopt": { stagingNotifications: "https://app.incident.io/alerts/routes/123" },
            }),
        );
        assert.deepEqual(keys, [
            "alert-routing:alertSources.alertmanger", // a typo, reported by name
            "alert-routing:alertSources.checkly", // "<id>" is a placeholder, and not again as missing
            "alert-routing:alertAttributes", // not an object
            "alert-routing:adopt.stagingNotifications", // not an incident.io id
            "alert-routing:secretStore.kind",
        ]);
        assert.match(error!.message, /unknown name "alertmanger"; did you mean alertmanager\?/);
    });

    it("an id unlike today's ULIDs passes with a warning naming the key (incident.io may change its id format)", () => {
        pulumi.runtime.setAllConfig(
            withConfig(complete("staging"), {
                "alert-routing:alertSources": { alertmanager: "src_7f3a9c" },
                "alert-routing:adopt": { stagingNotifications: fakeId("route") },
            }),
            SECRET_KEYS,
        );
        const warnings: string[] = [];
        const config = readStackConfig("staging", {}, (m) => warnings.push(m));
        assert.equal(config.routeIds.alertSources.alertmanager, "src_7f3a9c", "passed on as it is");
        assert.equal(warnings.length, 1, warnings.join("\n"));
        assert.match(
            warnings[0],
            /^alert-routing:alertSources\.alertmanager: "src_7f3a9c" does not look like an incident.io id \(incident.io ids look like 01FCNDV6P870EA6S7TK1DSYDG0/,
        );
    });

    it("names a malformed adoptTokenSecretArn in the same run as a wrong region and account", () => {
        const { error, keys } = problemsOf(
            "staging",
            withConfig(complete("staging"), {
                "aws:region": "us-east-9",
                "alert-routing:aws": { accountId: "12345" },
                "alert-routing:adoptTokenSecretArn": "not-an-arn",
            }),
        );
        assert.deepEqual(keys, ["aws:region", "alert-routing:aws.accountId", "alert-routing:adoptTokenSecretArn"]);
        assert.match(
            error!.message,
            /"not-an-arn" is not a Secrets Manager secret ARN \(like arn:<partition>:secretsmanager:<region>:<account id>:secret:/,
        );
    });

    it("rejects a stack that is not an environment", () => {
        const { error } = problemsOf("dev", complete("staging"));
        assert.match(error!.message, /"dev" is not an environment/);
        assert.match(error!.message, /"production", "staging"/);
        // The fix names the stack on the command; it never selects one (the next bare `pulumi up` would hit it).
        assert.match(error!.message, /pulumi preview --stack staging/);
        assert.doesNotMatch(error!.message, /stack select/);
    });

    it("fails the program before any resource or API call", async () => {
        delete process.env.INCIDENT_IO_TOKEN;
        delete process.env.CHECKLY_API_KEY;
        delete process.env.CHECKLY_ACCOUNT_ID;
        pulumi.runtime.setAllConfig(committedConfig("production"), SECRET_KEYS);
        const { alertRoutingStack } = await import("../../stack/program");
        assert.throws(
            () => alertRoutingStack(),
            (error: Error) => error instanceof StackConfigError && error.problems.length === 15,
        );
        await new Promise((resolve) => setTimeout(resolve, 50));
        assert.deepEqual(recorder.resources, [], "no resource (so no AlertSource read of a token) was registered");
    });
});
