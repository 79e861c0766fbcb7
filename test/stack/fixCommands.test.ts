// Every fix the stack's config check prints is a command that works when pasted: it names the
// stack, it is quoted for the shell, and run as Pulumi runs it (the value stored as Pulumi stores
// it: `--path` turns digits into numbers and true/false into booleans) it clears the problem it
// was printed for, instead of printing the same command again. Pasted into bash and run by the real
// CLI: test/e2e/pastedCommands.test.ts.
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";

import { badValues } from "../support/badConfig";
import { fill, problems } from "../support/fixCommands";
import { applyConfigCommand, configCommandsIn, shellWords, storedValue } from "../support/pulumiConfigCli";
import { CANARY, committedConfig, installMocks, stackTestConfig } from "../support/stackHarness";

installMocks("production");

describe("printed fix commands, run as Pulumi runs them", () => {
    it("Pulumi's --path storage: digits become numbers (unless they start with 0), true/false booleans", () => {
        assert.equal(storedValue("123456789012", true), 123456789012);
        assert.equal(storedValue("012345678901", true), "012345678901");
        assert.equal(storedValue("true", true), true);
        assert.equal(storedValue("123456789012", false), "123456789012");
        assert.deepEqual(shellWords(`pulumi config set --stack staging --path 'a:b.c[0]' $'x\\x1by' 'it'\\''s'`), [
            "pulumi",
            "config",
            "set",
            "--stack",
            "staging",
            "--path",
            "a:b.c[0]",
            "x\u001by",
            "it's",
        ]);
    });

    for (const stack of ["production", "staging"] as const) {
        it(`issue 16 item 3: ${stack}: the committed file plus every printed command is a complete config (the account id stored as a number)`, () => {
            let config = committedConfig(stack);
            const first = problems(stack, config);
            assert.ok(first.length >= 5, `the committed file lacks keys: ${first.map((p) => p.key).join(", ")}`);
            const secrets: string[] = [];
            for (const p of first) {
                const [command] = configCommandsIn(p.fix);
                assert.ok(command, `${p.key}: the fix is a command: ${p.fix}`);
                const applied = applyConfigCommand(config, command, fill(stack));
                assert.equal(applied.stack, stack, command);
                if (applied.secret) secrets.push(p.key);
                config = applied.config;
            }
            assert.equal(typeof JSON.parse(config["alert-routing:aws"]).accountId, "number", "Pulumi stored the account id as a number");
            assert.deepEqual(
                problems(stack, config, secrets).map((p) => `${p.key}: ${p.problem}`),
                [],
            );
        });

        it(`issue 16 item 3: ${stack}: each bad value's printed fix clears that key's problem`, () => {
            for (const bad of badValues(stack)) {
                const config = stackTestConfig(stack, { ...bad.config, "incident-io:apiKey": CANARY.apiKey });
                const before = problems(stack, config).filter((p) => p.key === bad.key);
                assert.equal(before.length, 1, `${bad.what}: reported`);
                const [command] = configCommandsIn(before[0].fix);
                assert.ok(command, `${bad.what}: a command in ${before[0].fix}`);
                const applied = applyConfigCommand(config, command, fill(stack));
                assert.equal(applied.stack, stack);
                const after = problems(stack, applied.config).filter((p) => p.key === bad.key);
                assert.deepEqual(after, [], `${bad.what}: ${command} cleared ${bad.key}`);
            }
        });
    }

    it("issue 16 item 3: numbers and booleans Pulumi stores are read as what they mean, or refused saying what was got", () => {
        const config = stackTestConfig("staging", {
            "incident-io:apiKey": CANARY.apiKey,
            "alert-routing:alertmanager": { name: "kube-prometheus-stack-alertmanager", extraSecrets: [12345, true] },
        });
        const found = problems("staging", config);
        assert.deepEqual(
            found.map((p) => p.key),
            ["alert-routing:alertmanager.extraSecrets[1]"],
        );
        assert.match(found[0].problem, /got true \(a boolean: `pulumi config set --path` stores true and false as booleans\)/);
    });

    it("issue 16 item 13: an extra Secret listed twice is refused, with the command that removes the second", () => {
        const config = stackTestConfig("staging", {
            "incident-io:apiKey": CANARY.apiKey,
            "alert-routing:alertmanager": { name: "am", extraSecrets: ["alertmanager-slack", "other", "alertmanager-slack"] },
        });
        const found = problems("staging", config);
        assert.deepEqual(
            found.map((p) => [p.key, p.fix]),
            [
                [
                    "alert-routing:alertmanager.extraSecrets[2]",
                    "pulumi config rm --stack staging --path 'alert-routing:alertmanager.extraSecrets[2]'",
                ],
            ],
        );
        assert.match(found[0].problem, /"alertmanager-slack" is listed twice \(also alert-routing:alertmanager\.extraSecrets\[0\]\)/);
    });

    it("issue 16 item 1: a key with a quote or a control character is quoted so that the paste runs exactly that command", () => {
        const config = stackTestConfig("staging", { "incident-io:apiKey": CANARY.apiKey, "alert-routing:it's\u001b]52;c;x\u0007": "1" });
        const [p] = problems("staging", config);
        assert.equal(p.fix, "pulumi config rm --stack staging $'alert-routing:it\\'s\\x1b]52;c;x\\x07'");
        // eslint-disable-next-line no-control-regex -- finding control characters is the point
        assert.ok(!/[\u0000-\u001f]/.test(p.fix));
        const applied = applyConfigCommand(config, p.fix);
        assert.equal(applied.config["alert-routing:it's\u001b]52;c;x\u0007"], undefined);
    });
});
