// A Node.js language host for the Pulumi CLI that dev/pulumi-cli builds from Go modules.
//
// Why this exists: the Go module proxy here refuses pulumi's own language host
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3, every version: "403 This module
// version is not available"), and a CLI without a language host cannot run a Node.js program. A user's
// `pulumi` install ships the real one; this file is used only beside the CLI built here.
//
// It speaks the LanguageRuntime gRPC protocol (proto/pulumi/language.proto, whose generated stubs ship in
// @pulumi/pulumi) and does what the Go host does for a plain Node.js/TypeScript program: print its port,
// take the engine's address (argument or Handshake), and on Run start @pulumi/pulumi's own program runner
// (`@pulumi/pulumi/cmd/run`, resolved from the program's folder) with the same arguments and environment
// (PULUMI_CONFIG with `<ns>:config:<name>` keys, PULUMI_CONFIG_SECRET_KEYS, PULUMI_NODEJS_TYPESCRIPT and
// PULUMI_NODEJS_TSCONFIG_PATH from the project's runtime options). The engine, the program runner and
// the dynamic-provider host are pulumi's own; only this launcher is ours. Not supported (UNIMPLEMENTED):
// code generation, packing, linking, plugins written in Node.js, the debugger.
"use strict";

const childProcess = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const grpc = require("@grpc/grpc-js");
const languageRpc = require("@pulumi/pulumi/proto/language_grpc_pb");
const languageProto = require("@pulumi/pulumi/proto/language_pb");
const pluginProto = require("@pulumi/pulumi/proto/plugin_pb");
const emptyProto = require("google-protobuf/google/protobuf/empty_pb");

// The CLI version this host is built beside (dev/pulumi-cli/go.mod).
const VERSION = "3.248.0";
// @pulumi/pulumi/cmd/run exits with this code after it has shown the user an actionable message:
// the engine then stops without adding "exited with non-zero exit code" (the Go host's `Bail`).
const EXIT_AFTER_USER_ACTIONABLE_MESSAGE = 32;

let engineAddress = process.argv.slice(2).find((arg) => !arg.startsWith("-")) ?? "";
const running = new Set();

/** The project's `runtime.options` (typescript, tsconfig, nodeargs) as a plain object. */
function runtimeOptions(info) {
    const options = info?.getOptions();
    return options ? options.toJavaScript() : {};
}

/** `<ns>:<name>` → `<ns>:config:<name>`, the form the Node.js SDK reads from PULUMI_CONFIG. */
function configForRunner(configMap) {
    const config = {};
    for (const [key, value] of configMap.entries()) {
        const colon = key.indexOf(":");
        config[colon < 0 ? key : `${key.slice(0, colon)}:config:${key.slice(colon + 1)}`] = value;
    }
    return config;
}

/** The runner's command line, in the order and with the flags @pulumi/pulumi/cmd/run parses. */
function runnerArguments(request, runPath) {
    const info = request.getInfo();
    const args = [runPath];
    const add = (flag, value) => {
        if (value !== undefined && value !== "") args.push(`--${flag}`, String(value));
    };
    add("monitor", request.getMonitorAddress());
    add("engine", engineAddress);
    add("organization", request.getOrganization());
    add("project", request.getProject());
    add("root-directory", info?.getRootDirectory());
    add("stack", request.getStack());
    add("pwd", info?.getProgramDirectory() || request.getPwd());
    if (request.getDryrun()) args.push("--dry-run");
    add("parallel", request.getParallel());
    args.push(info?.getEntryPoint() || request.getProgram() || ".");
    args.push(...request.getArgsList());
    return args;
}

function run(call, callback) {
    const request = call.request;
    const info = request.getInfo();
    const programDirectory = info?.getProgramDirectory() || request.getPwd() || process.cwd();
    const response = new languageProto.RunResponse();
    let runPath;
    try {
        runPath = require.resolve("@pulumi/pulumi/cmd/run", { paths: [programDirectory] });
    } catch {
        response.setError(
            `@pulumi/pulumi is not installed for the program in ${programDirectory}: run \`npm ci\` there, then run the command again.`,
        );
        return callback(null, response);
    }
    const options = runtimeOptions(info);
    const env = {
        ...process.env,
        PULUMI_CONFIG: JSON.stringify(configForRunner(request.getConfigMap())),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(request.getConfigsecretkeysList()),
    };
    if (options.typescript !== false) env.PULUMI_NODEJS_TYPESCRIPT = "true";
    if (typeof options.tsconfig === "string" && options.tsconfig !== "") env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;
    const nodeArgs = typeof options.nodeargs === "string" ? options.nodeargs.split(/\s+/).filter(Boolean) : [];

    const child = childProcess.spawn(process.execPath, [...nodeArgs, ...runnerArguments(request, runPath)], {
        env,
        stdio: ["ignore", "inherit", "inherit"],
    });
    running.add(child);
    child.on("error", (error) => {
        running.delete(child);
        response.setError(`Problem executing program (could not run language executor): ${error.message}`);
        callback(null, response);
    });
    child.on("exit", (code, signal) => {
        running.delete(child);
        if (code === EXIT_AFTER_USER_ACTIONABLE_MESSAGE) response.setBail(true);
        else if (code !== 0)
            response.setError(signal ? `Program exited on signal ${signal}` : `Program exited with non-zero exit code: ${code}`);
        callback(null, response);
    });
}

/** The resource plugins the program's node_modules declare (`"pulumi": {"resource": true}`), as the Go host reports them. */
function requiredPackages(call, callback) {
    const programDirectory = call.request.getInfo()?.getProgramDirectory() ?? "";
    const packages = [];
    const modules = path.join(programDirectory, "node_modules");
    const folders = [];
    for (const entry of safeReadDir(modules)) {
        if (entry.startsWith("@")) folders.push(...safeReadDir(path.join(modules, entry)).map((name) => path.join(modules, entry, name)));
        else folders.push(path.join(modules, entry));
    }
    for (const folder of folders) {
        let manifest;
        try {
            manifest = JSON.parse(fs.readFileSync(path.join(folder, "package.json"), "utf8"));
        } catch {
            continue;
        }
        if (manifest?.pulumi?.resource !== true || typeof manifest.name !== "string") continue;
        const dependency = new pluginProto.PackageDependency();
        dependency.setKind("resource");
        dependency.setName(manifest.pulumi.name ?? manifest.name.replace(/^@pulumi\//, "").replace(/^@/, ""));
        const version = String(manifest.pulumi.version ?? manifest.version ?? "");
        dependency.setVersion(version.startsWith("v") || version === "" ? version : `v${version}`);
        if (typeof manifest.pulumi.server === "string") dependency.setServer(manifest.pulumi.server);
        packages.push(dependency);
    }
    const response = new languageProto.GetRequiredPackagesResponse();
    response.setPackagesList(packages);
    callback(null, response);
}

function safeReadDir(folder) {
    try {
        return fs.readdirSync(folder);
    } catch {
        return [];
    }
}

function unimplemented(name) {
    return (call, callback) =>
        callback({
            code: grpc.status.UNIMPLEMENTED,
            details: `${name} is not supported by this language host (dev/pulumi-cli/languageHost.js)`,
        });
}

const handlers = {
    run,
    getRequiredPackages: requiredPackages,
    handshake(call, callback) {
        engineAddress = call.request.getEngineAddress() || engineAddress;
        callback(null, new languageProto.LanguageHandshakeResponse());
    },
    getPluginInfo(_call, callback) {
        const info = new pluginProto.PluginInfo();
        info.setVersion(VERSION);
        callback(null, info);
    },
    about(_call, callback) {
        const response = new languageProto.AboutResponse();
        response.setExecutable(process.execPath);
        response.setVersion(process.version);
        callback(null, response);
    },
    getProgramDependencies(_call, callback) {
        callback(null, new languageProto.GetProgramDependenciesResponse());
    },
    runtimeOptionsPrompts(_call, callback) {
        callback(null, new languageProto.RuntimeOptionsResponse());
    },
    installDependencies(call) {
        call.end();
    },
    cancel(_call, callback) {
        for (const child of running) child.kill("SIGINT");
        callback(null, new emptyProto.Empty());
    },
};
for (const name of Object.keys(languageRpc.LanguageRuntimeService)) {
    if (!(name in handlers)) handlers[name] = unimplemented(name);
}

const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
server.addService(languageRpc.LanguageRuntimeService, handlers);
server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => {
    if (error) {
        console.error(`language host: could not listen on 127.0.0.1: ${error.message}`);
        process.exit(1);
    }
    // The engine reads the port from the first line of stdout.
    process.stdout.write(`${port}\n`);
});
