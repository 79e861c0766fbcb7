// Issue 16 item 13, the stack's side: a number Pulumi stores that JSON cannot hold (1e999 reads back
// as Infinity) is reported as what it is, not as `null` (JSON.stringify's word for it). The
// duplicate extraSecrets entry and the provider's NaN are in test/stack/fixCommands.test.ts and
// test/provider/fixCommands.test.ts, under the same item.
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";

import * as pulumi from "@pulumi/pulumi";

import { readStackConfig, StackConfigError } from "../../stack/config";
import { CANARY, installMocks, stackTestConfig } from "../support/stackHarness";

installMocks("staging");

function problems(config: Record<string, string>) {
    pulumi.runtime.setAllConfig(config, ["incident-io:apiKey"]);
    try {
        readStackConfig("staging", {});
        return [];
    } catch (error) {
        assert.ok(error instanceof StackConfigError, String(error));
        return error.problems;
    }
}

describe("issue 16 item 13: stack config values that JSON cannot say", () => {
    const cases: Array<[key: string, stored: string, reported: Record<string, string>]> = [
        ["alert-routing:aws", '{"accountId": 1e999}', { "alert-routing:aws.accountId": "got Infinity" }],
        [
            "alert-routing:alertmanager",
            '{"name": "am", "extraSecrets": [1e999, -1e999]}',
            { "alert-routing:alertmanager.extraSecrets[0]": "got Infinity", "alert-routing:alertmanager.extraSecrets[1]": "got -Infinity" },
        ],
        [
            "alert-routing:alertSources",
            '{"alertmanager": 1e999, "checkly": "01KKZJERF1HQFJRE3XWFZ0NV19"}',
            { "alert-routing:alertSources.alertmanager": "got Infinity" },
        ],
    ];
    for (const [key, stored, reported] of cases) {
        it(`issue 16 item 13: ${key} = ${stored} is reported as Infinity, not null`, () => {
            const found = problems({ ...stackTestConfig("staging", { "incident-io:apiKey": CANARY.apiKey }), [key]: stored });
            for (const [problemKey, words] of Object.entries(reported)) {
                const p = found.find((f) => f.key === problemKey);
                assert.ok(p, `${problemKey} reported: ${JSON.stringify(found)}`);
                assert.ok(p.problem.endsWith(words), p.problem);
                assert.doesNotMatch(p.problem, /null/);
                assert.match(p.fix, /^pulumi config set --stack staging (--plaintext )?--path '/);
            }
        });
    }
});
