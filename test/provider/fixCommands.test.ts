// The provider's messages name the stack in every command they print (a command without --stack
// changes whichever stack is selected), and show odd values as what they are.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { IncidentIoEmulator } from "../../dev/emulator";
import type { AlertRouteInputs } from "../../providers/incident-io/alertRoute";
import { productionAlerts } from "../fixtures/routes";
import { handlersFor, TEST_API_KEY } from "../support/handlers";
import { applyConfigCommand, configCommandsIn } from "../support/pulumiConfigCli";

let emulator: IncidentIoEmulator;
before(async () => {
    emulator = await IncidentIoEmulator.start({ apiKey: TEST_API_KEY });
});
after(() => emulator.close());

const STACK = "staging";
const route = (extra: Record<string, unknown> = {}) => ({ ...productionAlerts(), pulumiStack: STACK, ...extra }) as Record<string, unknown>;

describe("provider fix commands", () => {
    test("issue 16 item 2: a conflict names the stack in the refresh, up and onConflict commands", async () => {
        const { handlers } = await handlersFor(emulator);
        const { inputs } = await handlers.check({}, route({ name: "Fix commands: conflict" }));
        const created = await handlers.create(inputs as AlertRouteInputs);
        emulator.editInUi(created.id, (r) => {
            r.enabled = false;
        });
        const changed = { ...(inputs as AlertRouteInputs), message_template: undefined, enabled: true, name: "Fix commands: conflict 2" };
        const error = await handlers.update(created.id, created.outs!, changed).then(
            () => assert.fail("expected a conflict"),
            (e: Error) => e,
        );
        assert.ok(error.message.includes("`pulumi refresh --stack staging`"), error.message);
        assert.ok(error.message.includes("`pulumi up --stack staging`"), error.message);
        const [command] = configCommandsIn(error.message);
        assert.equal(command, "pulumi config set --stack staging 'incident-io:onConflict' overwrite");
        assert.equal(applyConfigCommand({}, command).config["incident-io:onConflict"], "overwrite");
    });

    test("a bad provider setting is reported by the first call, with the stack in its fix", async () => {
        const { handlers } = await handlersFor(emulator, { "incident-io:maxRetries": "-1" });
        const { inputs } = await handlers.check({}, route());
        const error = await handlers.create(inputs as AlertRouteInputs).then(
            () => assert.fail("expected a settings error"),
            (e: Error) => e,
        );
        assert.match(
            error.message,
            /incident-io:maxRetries must be a number ≥ 0, got "-1": pulumi config set --stack staging 'incident-io:maxRetries' 5/,
        );
    });

    test("issue 16 item 13: NaN and Infinity are reported as what they are, not as null", async () => {
        const { handlers } = await handlersFor(emulator);
        const { failures } = await handlers.check({}, route({ adoptRenaming: Number.NaN }));
        assert.deepEqual(failures, [{ property: "adoptRenaming", reason: "must be a boolean, got NaN" }]);
        const timed = await handlers.check({}, route({ incident_config: { auto_decline_enabled: false, defer_time_seconds: Infinity } }));
        assert.ok(
            timed.failures?.some((f) => /got Infinity/.test(f.reason)),
            JSON.stringify(timed.failures),
        );
    });
});
