// The before/after of an end-to-end suite: an incident.io emulator (seeded as the suite asks), a CLI
// workspace (its own Pulumi home, file backend and copy of test/e2e/project), and one stack of it configured
// against the emulator; after the suite, the workspace is removed and the emulator closed.
import { after, before } from "node:test";

import { IncidentIoEmulator } from "../../dev/emulator";
import type { Environment } from "../../stack/routes";
import { E2eStack } from "./e2eStack";
import { CliWorkspace, pulumiCliOrSkip } from "./pulumiCli";

export interface E2eSuiteOptions {
    /** The key the emulator accepts and the stack is configured with (`incident-io:apiKey`, a secret). */
    apiKey: string;
    /** Fills the emulator before the stack is set up, e.g. with dev/seed/workspace.ts's organisation. */
    seed?: (emulator: IncidentIoEmulator) => void;
    /** Runs once the stack is initialised, before the first test (e.g. adopt and `up`). */
    prepare?: (stack: E2eStack) => Promise<void>;
}

/** What the suite's tests use. Set by the suite's `before`: read it inside a test, not at describe time. */
export interface E2eSuite {
    readonly emulator: IncidentIoEmulator;
    readonly workspace: CliWorkspace;
    readonly stack: E2eStack;
}

/**
 * Registers the before/after of one stack of `environment` under the real CLI. Call it inside a `describe`
 * skipped when there is no CLI (`{ skip: !pulumiCliOrSkip() }`).
 */
export function e2eSuite(environment: Environment, options: E2eSuiteOptions): E2eSuite {
    let emulator: IncidentIoEmulator | undefined;
    let workspace: CliWorkspace | undefined;
    let stack: E2eStack | undefined;

    before(async () => {
        const cli = pulumiCliOrSkip();
        if (!cli) throw new Error("e2eSuite needs the Pulumi CLI: skip its describe with { skip: !pulumiCliOrSkip() }");
        emulator = await IncidentIoEmulator.start({ apiKey: options.apiKey });
        options.seed?.(emulator);
        workspace = new CliWorkspace(cli);
        stack = new E2eStack(workspace, environment, emulator);
        await stack.init(options.apiKey);
        await options.prepare?.(stack);
    });
    after(async () => {
        workspace?.dispose();
        await emulator?.close();
    });

    return {
        get emulator() {
            return setUp(emulator, "emulator");
        },
        get workspace() {
            return setUp(workspace, "workspace");
        },
        get stack() {
            return setUp(stack, "stack");
        },
    };
}

function setUp<T>(value: T | undefined, name: string): T {
    if (value === undefined) throw new Error(`the e2e suite's ${name} is set up in its before(): read it inside a test`);
    return value;
}
