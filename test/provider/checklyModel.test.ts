// The Checkly model, validation and settings: pure tables.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
    canonical,
    changedFields,
    fromResponse,
    sameChannel,
    secretValues,
    toPayload,
    withDefaults,
    withoutSecretValues,
    writePayload,
} from "../../providers/checkly/model";
import { validateChannel } from "../../providers/checkly/validate";
import { channelsLike, twinsRefusal } from "../../providers/checkly/handlers";
import { checklyCredentialProblems, readChecklySettings } from "../../providers/checkly/settings";
import type { ChecklyAlertChannelResponse, ChecklyAlertChannelSpec } from "../../providers/checkly/types";
import { UNKNOWN } from "../../providers/incident-io/validate";
import { CHECK_A, CHECK_B, CHECKLY_TEST_ACCOUNT, incidentIoChannel } from "../support/checkly";

const URL_A = "https://api.incident.io/v2/alert_events/checkly/01HZ7GE7CASMF15RWV1QFCMKTQ";
const spec = (): ChecklyAlertChannelSpec =>
    withDefaults(toPayload(incidentIoChannel("incident.io (Production)", URL_A, "tok-1234")) as never);

/** What Checkly answers for a payload: its id, timestamps, nulls for unset fields, subscriptions with ids. */
function asResponse(
    s: ChecklyAlertChannelSpec,
    subscriptions: ChecklyAlertChannelResponse["subscriptions"] = [],
): ChecklyAlertChannelResponse {
    return {
        id: 250123,
        ...s,
        config: { ...s.config, webhookSecret: null, headers: s.config.headers.map((h) => ({ ...h, key: h.key.toLowerCase() })).reverse() },
        subscriptions,
        created_at: "2026-01-01T00:00:00.000Z",
        updated_at: null,
    };
}

describe("checkly model: fromResponse / toPayload / canonical comparison", () => {
    const cases: Array<{ name: string; live: (s: ChecklyAlertChannelSpec) => ChecklyAlertChannelResponse; changed: string[] }> = [
        { name: "Checkly's answer for our payload is the same channel", live: (s) => asResponse(s), changed: [] },
        {
            name: "header names compare case-insensitively, in any order",
            live: (s) =>
                asResponse({ ...s, config: { ...s.config, headers: [{ key: "AUTHORIZATION", value: "Bearer tok-1234", locked: true }] } }),
            changed: [],
        },
        {
            name: "a new token is a change of that header, named by key only",
            live: (s) =>
                asResponse({ ...s, config: { ...s.config, headers: [{ key: "authorization", value: "Bearer old-9999", locked: true }] } }),
            changed: ["config.headers[authorization]"],
        },
        {
            name: "a new source URL is config.url",
            live: (s) => asResponse({ ...s, config: { ...s.config, url: `${URL_A}X` } }),
            changed: ["config.url"],
        },
        { name: "sendDegraded toggled in the UI", live: (s) => asResponse({ ...s, sendDegraded: true }), changed: ["sendDegraded"] },
        {
            name: "a template removed in the UI is config.template",
            live: (s) => asResponse({ ...s, config: { ...s.config, template: undefined } }),
            changed: ["config.template"],
        },
        {
            name: "live subscriptions are no change when the definition lists none",
            live: (s) => asResponse(s, [{ id: 1, checkId: CHECK_A, groupId: null, activated: true }]),
            changed: [],
        },
    ];
    for (const c of cases) {
        test(c.name, () => {
            const desired = spec();
            assert.deepEqual(changedFields(desired, fromResponse(c.live(desired))), c.changed);
            assert.equal(sameChannel(desired, fromResponse(c.live(desired))), c.changed.length === 0);
        });
    }

    test("listed subscriptions compare as a set", () => {
        const desired = {
            ...spec(),
            subscriptions: [
                { groupId: 7, activated: true },
                { checkId: CHECK_A, activated: true },
            ],
        };
        const live = fromResponse(
            asResponse(desired, [
                { id: 3, checkId: CHECK_A, groupId: null, activated: true },
                { id: 4, checkId: null, groupId: 7, activated: true },
            ]),
        );
        assert.deepEqual(changedFields(desired, live), []);
        const fewer = fromResponse(asResponse(desired, [{ id: 3, checkId: CHECK_A, groupId: null, activated: true }]));
        assert.deepEqual(changedFields(desired, fewer), ["subscriptions"]);
    });

    test("fromResponse drops Checkly's ids and timestamps and keeps the subscriptions", () => {
        const live = fromResponse(asResponse(spec(), [{ id: 9, checkId: CHECK_B, groupId: null, activated: false, checkName: "API" }]));
        assert.deepEqual(live.subscriptions, [{ checkId: CHECK_B, activated: false }]);
        assert.equal("id" in live, false);
        assert.equal("webhookSecret" in canonical(live).config, false, "null secret is no secret");
    });

    test("toPayload accepts a channel pasted from Checkly's answer", () => {
        const pasted = toPayload(
            asResponse(spec(), [{ id: 9, checkId: CHECK_B, groupId: null, activated: true, checkName: "API" }]) as never,
        );
        assert.deepEqual(validateChannel(pasted), []);
        assert.deepEqual(pasted.subscriptions, [{ checkId: CHECK_B, activated: true }]);
    });
});

describe("checkly model: writePayload keeps subscriptions", () => {
    const live = { subscriptions: [{ checkId: CHECK_A, activated: true }] };
    test("a definition without subscriptions sends the live ones back", () => {
        assert.deepEqual(writePayload(spec(), live).subscriptions, live.subscriptions);
    });
    test("a definition that lists subscriptions sends exactly those", () => {
        assert.deepEqual(writePayload({ ...spec(), subscriptions: [{ groupId: 3, activated: true }] }, live).subscriptions, [
            { groupId: 3, activated: true },
        ]);
    });
    test("an empty list is a deliberate clear", () => {
        assert.deepEqual(writePayload({ ...spec(), subscriptions: [] }, live).subscriptions, []);
    });
});

describe("checkly model: credentials", () => {
    test("withoutSecretValues removes header values and keeps keys", () => {
        const stripped = withoutSecretValues(spec());
        assert.equal(JSON.stringify(stripped).includes("tok-1234"), false);
        assert.equal(stripped.config.headers[0].key, "Authorization");
    });
    test("withoutSecretValues drops a credential written into the URL (user:password@, a query), and keeps a plain URL", () => {
        for (const url of [
            "https://api.incident.io/v2/alert_events/checkly/01SRC?token=CANARYQ",
            "https://u:CANARYPW@api.incident.io/v2/alert_events/checkly/01SRC",
        ]) {
            const stripped = withoutSecretValues({ ...spec(), config: { ...spec().config, url } });
            assert.equal(stripped.config.url, "https://api.incident.io/v2/alert_events/checkly/01SRC");
            assert.doesNotMatch(JSON.stringify(stripped), /CANARY/);
        }
        assert.equal(withoutSecretValues(spec()).config.url, spec().config.url, "the channel's own URL is kept as it is");
        assert.doesNotMatch(
            withoutSecretValues({ ...spec(), config: { ...spec().config, url: "not a url CANARYX" } }).config.url,
            /CANARY/,
        );
    });
    test("secretValues has the header and the bare token", () => {
        assert.deepEqual(secretValues(spec()).sort(), ["Bearer tok-1234", "tok-1234"]);
    });
});

describe("checkly validate: one failure per bad field, values never repeated", () => {
    const good = () => toPayload(incidentIoChannel("incident.io (Staging)", URL_A, "tok-5678"));
    const cases: Array<{
        name: string;
        edit: (c: Record<string, unknown> & { config: Record<string, unknown> }) => void;
        property: string;
    }> = [
        { name: "type other than WEBHOOK", edit: (c) => (c.type = "EMAIL"), property: "type" },
        { name: "missing url", edit: (c) => delete c.config.url, property: "config.url" },
        { name: "http url to another host", edit: (c) => (c.config.url = "http://api.incident.io/x"), property: "config.url" },
        { name: "method LIST", edit: (c) => (c.config.method = "LIST"), property: "config.method" },
        { name: "threshold 31", edit: (c) => (c.sslExpiryThreshold = 31), property: "sslExpiryThreshold" },
        { name: "typo sendDegradded", edit: (c) => (c.sendDegradded = true), property: "sendDegradded" },
        {
            name: "header with a newline in its value",
            edit: (c) => ((c.config.headers as Array<{ value: string }>)[0].value = "Bearer tok\n-5678"),
            property: "config.headers[0].value",
        },
        {
            name: "a subscription with both ids",
            edit: (c) => (c.subscriptions = [{ checkId: CHECK_A, groupId: 3, activated: true }]),
            property: "subscriptions[0]",
        },
        { name: "adoptId not a number", edit: (c) => (c.adoptId = "abc"), property: "adoptId" },
    ];
    for (const c of cases) {
        test(c.name, () => {
            const input = good() as Record<string, unknown> & { config: Record<string, unknown> };
            c.edit(input);
            const failures = validateChannel(input);
            assert.deepEqual(
                failures.map((f) => f.property),
                [c.property],
            );
            assert.equal(JSON.stringify(failures).includes("tok-5678"), false, "the token is never repeated");
        });
    }
    test("the good channel passes, unknowns pass", () => {
        assert.deepEqual(validateChannel(good()), []);
        assert.deepEqual(validateChannel({ ...good(), config: { ...(good().config as object), url: UNKNOWN, headers: UNKNOWN } }), []);
    });
});

describe("checkly settings", () => {
    const read = (config: Record<string, string>, env: Record<string, string> = {}) => readChecklySettings((k) => config[k], env);
    test("defaults: the public API, key and account from the environment", () => {
        const s = read({}, { CHECKLY_API_KEY: " cu_abc ", CHECKLY_ACCOUNT_ID: CHECKLY_TEST_ACCOUNT });
        assert.equal(s.baseUrl, "https://api.checklyhq.com");
        assert.equal(s.apiKey, "cu_abc");
        assert.equal(s.accountId, CHECKLY_TEST_ACCOUNT);
    });
    test("config wins over the environment", () => {
        assert.equal(read({ "checkly:apiKey": "cu_cfg" }, { CHECKLY_API_KEY: "cu_env" }).apiKey, "cu_cfg");
    });
    const bad: Array<[string, Record<string, string>, RegExp]> = [
        [
            "the dashboard as base URL",
            { "checkly:baseUrl": "https://app.checklyhq.com" },
            /checkly:baseUrl names app\.checklyhq\.com, which is not Checkly's API/,
        ],
        ["http to a remote host", { "checkly:baseUrl": "http://api.checklyhq.com" }, /must use https/],
        ["a path", { "checkly:baseUrl": "https://api.checklyhq.com/v1" }, /without a path \(the provider adds \/v1\/\.\.\.\)/],
        [
            "a key with a line break",
            { "checkly:apiKey": "cu_a\nb" },
            // The stack's key wins over CHECKLY_API_KEY: only its own command is offered.
            /checkly:apiKey contains a control character.*`pulumi config set --stack <stack> --secret 'checkly:apiKey'` \(it asks for the value without echo\)\.$/s,
        ],
        ["an account that is not a uuid", { "checkly:accountId": "12345" }, /checkly:accountId must be the account's id/],
    ];
    for (const [name, config, message] of bad) {
        test(`refused: ${name}`, () => assert.throws(() => read(config), message));
    }
    test("missing key and account are named with their commands, --stack included", () => {
        const problems = checklyCredentialProblems(undefined, undefined, "staging");
        assert.equal(problems.length, 2);
        assert.match(
            problems[0],
            /pulumi config set --stack staging --secret 'checkly:apiKey' {3}\(it asks for the value without echo; or `read -rs CHECKLY_API_KEY && export CHECKLY_API_KEY`\)/,
        );
        assert.match(problems[1], /pulumi config set --stack staging 'checkly:accountId' <account id>/);
    });
});

describe("channelsLike: the live channels a new one would duplicate", () => {
    const spec = {
        name: "incident.io (Production)",
        config: { name: "incident.io (Production)", url: "https://api.incident.io/v2/alert_events/checkly/01A" },
    };
    const channel = (id: number, name: string, url: string) =>
        ({ id, type: "WEBHOOK", config: { name, url } }) as unknown as ChecklyAlertChannelResponse;
    const table: Array<{ name: string; channels: ChecklyAlertChannelResponse[]; twins: string[] }> = [
        { name: "none: other name, other URL", channels: [channel(1, "Slack", "https://hooks.slack.com/x")], twins: [] },
        {
            name: "the same name, posting elsewhere",
            channels: [channel(2, "incident.io (Production)", "https://example.com/")],
            twins: ["2"],
        },
        {
            name: "the same URL (a trailing slash aside), another name",
            channels: [channel(3, "renamed in the UI", "https://api.incident.io/v2/alert_events/checkly/01A/")],
            twins: ["3"],
        },
        {
            name: "a URL that only starts the same",
            channels: [channel(4, "x", "https://api.incident.io/v2/alert_events/checkly/01AB")],
            twins: [],
        },
    ];
    for (const row of table)
        test(row.name, () =>
            assert.deepEqual(
                channelsLike(spec as never, row.channels).map((c) => c.id),
                row.twins,
            ),
        );
    test("the refusal names each twin and the adopt command for the stack", () => {
        const message = twinsRefusal(
            spec as never,
            [{ id: "3", name: "renamed", channel: channel(3, "renamed", "") }],
            "staging",
            "alert-routing:adopt.checklyChannel",
        );
        assert.match(message, /was not created: Checkly already has 1 channel\(s\) .*\(3 "renamed"\).*Nothing was written/);
        assert.ok(message.includes("`pulumi config set --stack staging --path 'alert-routing:adopt.checklyChannel' 3`"), message);
        assert.ok(message.includes("`pulumi up --stack staging`"), message);
    });
});
