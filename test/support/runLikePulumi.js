// Loads the project the way `pulumi up` does (node_modules/@pulumi/pulumi/cmd/run/run.js): plain
// node in the project directory, ts-node registered with the project's tsconfig.json and type
// checking on, the program required through package.json `main` inside the root Stack. Resources
// go to Pulumi's mocks. Prints one JSON line: the registered types and the stack outputs.
// Plain JavaScript on purpose: nothing must compile it before ts-node is registered.
"use strict";
const path = require("path");

const projectDir = process.cwd();
const tsutils = require("@pulumi/pulumi/tsutils");
const compilerOptions = tsutils.loadTypeScriptCompilerOptions("tsconfig.json");
const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
require(tsnodeRequire).register({
    compiler: typescriptRequire,
    transpileOnly: compilerOptions.noCheck, // undefined: type-check, as Pulumi does by default
    project: "tsconfig.json",
    skipProject: false,
    compilerOptions: { target: "ES2020", module: "nodenext", moduleResolution: "nodenext", sourceMap: "true", ...compilerOptions },
});

const pulumi = require("@pulumi/pulumi");
const stack = process.env.TEST_STACK;
const types = [];
pulumi.runtime.setMocks(
    {
        newResource: (args) => {
            types.push(args.type);
            const state = { ...args.inputs };
            if (args.type === "aws:secretsmanager/secretVersion:SecretVersion") state.versionId = "version-1";
            // The literal, not ALERT_ROUTE_TYPE: requiring providers/ here would load it before the program does.
            if (args.type === "pulumi-nodejs:dynamic/incident-io:AlertRoute") Object.assign(state, { version: 1, route: {} });
            // An adopted AlertSource answers with the live id and its read-only URL and token (the engine
            // wraps secret_token, listed in additionalSecretOutputs); the literal type, as for AlertRoute.
            if (args.type === "pulumi-nodejs:dynamic/incident-io:AlertSource") {
                const id = args.inputs.adoptId;
                Object.assign(state, {
                    source: {},
                    secret_token: pulumi.secret("program-load-token"),
                    alert_events_url: `https://api.incident.io/v2/alert_events/${args.inputs.source_type}/${id}`,
                });
                return { id, state };
            }
            // The read of the live Alertmanager: one this stack already patched.
            if (args.id && args.type === "kubernetes:monitoring.coreos.com/v1:Alertmanager") {
                Object.assign(state, { spec: { configSecret: "alertmanager-incident-io-config", secrets: ["alertmanager-incidentio"] } });
                return { id: args.id, state };
            }
            return { id: `${args.name}-id`, state };
        },
        call: (args) => {
            throw new Error(`unexpected invoke ${args.token}`);
        },
    },
    "alert-routing",
    stack,
);
pulumi.runtime.setAllConfig(JSON.parse(process.env.TEST_STACK_CONFIG), JSON.parse(process.env.TEST_STACK_SECRET_KEYS));

pulumi.runtime
    .runInPulumiStack(async () => require(projectDir + path.sep))
    .then(async (outputs) => {
        await pulumi.runtime.disconnect();
        process.stdout.write(`${JSON.stringify({ types, outputs: Object.keys(outputs ?? {}) })}\n`);
    })
    .catch((error) => {
        process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
        process.exit(1);
    });
