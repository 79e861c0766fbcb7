// Child process of the secret-leak suite: runs ONE stack's program under the harness's mocks
// (one stack per process, see test/support/stackHarness.ts) with the config it is given, the token read
// through the REAL fetch path (no fetchAlertSourceToken stub), and writes what the engine would
// have seen to a JSON file: every RegisterResource request (inputs as serialized, secrets still
// wrapped), the state the mocks returned for it (as serialized back to the SDK), the stack
// outputs, and the program's error if it failed.
//
//   LEAK_STACK=production LEAK_CONFIG='{...}' LEAK_SECRET_KEYS='[...]' LEAK_RESULT=/tmp/x.json \
//     TS_NODE_TRANSPILE_ONLY=true node --require ts-node/register test/support/leakStackWorker.ts
import * as fs from "node:fs";

import * as pulumi from "@pulumi/pulumi";
import type * as resproto from "@pulumi/pulumi/proto/resource_pb";

import { installMocks, runStack, type Registered } from "./stackHarness";

export interface ReturnedState {
    type: string;
    name: string;
    /** RegisterResourceResponse.object: the mocks' state, serialized as the SDK receives it. */
    state: Record<string, unknown>;
}

export interface StackRun {
    stack: string;
    resources: Registered[];
    states: ReturnedState[];
    stackOutputs?: Record<string, unknown>;
    invokes: string[];
    /** The program's failure, as Pulumi would print it (message and stack). */
    error?: string;
    /** Rejections nobody handled (also what Pulumi would print). */
    unhandled: string[];
}

async function main(): Promise<void> {
    const stack = required("LEAK_STACK");
    const config = JSON.parse(required("LEAK_CONFIG")) as Record<string, string>;
    const secretKeys = JSON.parse(required("LEAK_SECRET_KEYS")) as string[];
    const resultPath = required("LEAK_RESULT");

    const unhandled: string[] = [];
    process.on("unhandledRejection", (reason) => unhandled.push(describe(reason)));

    const recorder = installMocks(stack);
    const states: ReturnedState[] = [];
    const monitor = pulumi.runtime.getMonitor() as unknown as {
        registerResource(
            req: resproto.RegisterResourceRequest,
            callback: (err: unknown, resp?: resproto.RegisterResourceResponse) => void,
        ): unknown;
    };
    const register = monitor.registerResource.bind(monitor); // the recorder's wrapper
    monitor.registerResource = (req, callback) =>
        register(req, (err, resp) => {
            if (!err && resp) states.push({ type: req.getType(), name: req.getName(), state: resp.getObject()?.toJavaScript() ?? {} });
            return callback(err, resp);
        });
    pulumi.runtime.setAllConfig(config, secretKeys);

    let error: string | undefined;
    try {
        // Loaded only now: mocks and config must be in place first.
        const { alertRoutingStack } = await import("../../stack/program");
        await runStack(() => alertRoutingStack());
    } catch (e) {
        error = describe(e);
    }
    const run: StackRun = {
        stack,
        resources: recorder.resources,
        states,
        stackOutputs: recorder.stackOutputs,
        invokes: recorder.invokes,
        error,
        unhandled,
    };
    fs.writeFileSync(resultPath, JSON.stringify(run));
}

function required(name: string): string {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
}

function describe(e: unknown): string {
    return e instanceof Error ? `${e.message}\n${e.stack ?? ""}` : String(e);
}

if (require.main === module) {
    main().catch((e) => {
        process.stderr.write(`leakStackWorker: ${describe(e)}\n`);
        process.exit(2);
    });
}
