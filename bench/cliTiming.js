// Where a `pulumi preview` spends its time, seen from inside its Node.js processes: `npm run bench` puts
// this file in NODE_OPTIONS (`--require`), so the language host, the program and the dynamic-provider host
// each append one line per event to BENCH_TIMING_FILE: when the process started, when it first wrote to
// stdout (a plugin prints its port there once it serves: ready), and when it exited. In the program it also
// times TypeScript: loading the compiler and each file's transpile (ts-node, transpile-only).
// Plain JavaScript: it runs before ts-node is registered, in processes that never load ts-node.
"use strict";

const fs = require("node:fs");
const { performance } = require("node:perf_hooks");

const file = process.env.BENCH_TIMING_FILE;
if (file) {
    const script = process.argv[1] ?? "";
    const role = /languageHost\.js$/.test(script)
        ? "languageHost"
        : /cmd[\\/]run([\\/]index\.js)?$/.test(script)
          ? "program"
          : /cmd[\\/]dynamic-provider([\\/]index\.js)?$/.test(script)
            ? "providerHost"
            : "other";
    const record = (event, at, extra) => fs.appendFileSync(file, `${JSON.stringify({ pid: process.pid, role, event, at, ...extra })}\n`);
    record("start", performance.timeOrigin);

    const write = process.stdout.write.bind(process.stdout);
    let wrote = false;
    process.stdout.write = (...args) => {
        if (!wrote) {
            wrote = true;
            record("ready", Date.now());
        }
        return write(...args);
    };

    const timing = { typescriptLoadMs: 0, transpileMs: 0, transpiledFiles: 0 };
    if (role === "program") {
        // The compiler ts-node will load (resolved from the program's folder, as ts-node does), loaded
        // here so its load is timed apart; then the compile of each file: ts-node keeps its service on
        // process[Symbol.for("ts-node.register.instance")] and calls service.compile per file.
        try {
            const started = performance.now();
            require(require.resolve("typescript", { paths: [process.cwd()] }));
            timing.typescriptLoadMs = performance.now() - started;
        } catch {
            // no typescript beside the program: nothing to time
        }
        const key = Symbol.for("ts-node.register.instance");
        let service;
        Object.defineProperty(process, key, {
            configurable: true,
            get: () => service,
            set: (value) => {
                service = value;
                const compile = value.compile.bind(value);
                value.compile = (...args) => {
                    const t = performance.now();
                    try {
                        return compile(...args);
                    } finally {
                        timing.transpileMs += performance.now() - t;
                        timing.transpiledFiles += 1;
                    }
                };
            },
        });
    }
    process.on("exit", () => record("exit", Date.now(), role === "program" ? timing : {}));
}
