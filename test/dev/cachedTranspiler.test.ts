// dev/cachedTranspiler.js: each TypeScript file is compiled once per content, in fresh Node.js processes as
// `pulumi` starts them (the program through ts-node, the provider host through `register`), never served stale.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { PROJECT_ROOT } from "../../dev/paths";

const TRANSPILER = path.join(PROJECT_ROOT, "dev", "cachedTranspiler.js");

describe("cachedTranspiler", () => {
    let dir: string;
    let cache: string;

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "cached-transpiler-"));
        cache = path.join(dir, "cache");
        fs.writeFileSync(
            path.join(dir, "main.ts"),
            'import { greeting } from "./greeting";\nexport const value: string = greeting("route");\n',
        );
        fs.writeFileSync(
            path.join(dir, "greeting.ts"),
            "export function greeting(name: string): string {\n    return `hello ${name}`;\n}\n",
        );
        fs.writeFileSync(
            path.join(dir, "boom.ts"),
            'type Route = { name: string };\nconst route: Route = { name: "r" };\nexport function boom(): never {\n    throw new Error(`boom ${route.name}`);\n}\n',
        );
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    /** A fresh process, as the provider host is: `register`, then require `file`; what it loaded, as JSON. */
    function hostProcess(file: string, expression = "m.value") {
        const script = `
            const t = require(${JSON.stringify(TRANSPILER)});
            t.register();
            let value, error;
            try { const m = require(${JSON.stringify(path.join(dir, file))}); value = ${expression}; } catch (e) { error = String(e.stack); }
            const loaded = Object.keys(require.cache);
            console.log(JSON.stringify({
                value, error,
                typescript: loaded.some((k) => /[\\\\/]node_modules[\\\\/]typescript[\\\\/]/.test(k)),
                tsNode: loaded.some((k) => /[\\\\/]node_modules[\\\\/]ts-node[\\\\/]/.test(k)),
            }));`;
        const run = spawnSync(process.execPath, ["-e", script], {
            cwd: dir,
            env: { ...process.env, ALERT_ROUTING_TRANSPILE_CACHE: cache, NODE_OPTIONS: "" },
            encoding: "utf8",
        });
        assert.equal(run.status, 0, run.stderr);
        return JSON.parse(run.stdout) as { value?: string; error?: string; typescript: boolean; tsNode: boolean };
    }
    const entries = () => (fs.existsSync(cache) ? fs.readdirSync(cache).filter((f) => f.endsWith(".json")) : []);

    test("the first process compiles; the next is served from the cache and loads neither the compiler nor ts-node", () => {
        const first = hostProcess("main.ts");
        assert.equal(first.value, "hello route");
        assert.equal(first.typescript, true, "a cold cache needs the compiler");
        assert.equal(entries().length, 2, "one entry per file");

        const second = hostProcess("main.ts");
        assert.equal(second.value, "hello route");
        assert.equal(second.typescript, false, "a warm cache must not load the compiler");
        assert.equal(second.tsNode, false);
        assert.equal(entries().length, 2);
    });

    test("an edited file is compiled again, never served stale", () => {
        hostProcess("main.ts");
        fs.writeFileSync(path.join(dir, "greeting.ts"), "export function greeting(name: string): string {\n    return `hi ${name}`;\n}\n");
        const edited = hostProcess("main.ts");
        assert.equal(edited.value, "hi route");
        assert.equal(edited.typescript, true);
    });

    test("stack traces point at the TypeScript's lines, on a cold and a warm cache", () => {
        for (const run of [1, 2]) {
            const { error } = hostProcess("boom.ts", "m.boom()");
            assert.match(error ?? "", /boom r\n\s+at Object\.boom \(.*boom\.ts:4:11\)/, `run ${run}: ${error}`);
        }
    });

    test("a file that does not compile is named, and is not kept", () => {
        fs.writeFileSync(path.join(dir, "broken.ts"), "export const x = ;\n");
        const before = entries().length;
        const { error } = hostProcess("broken.ts", "m.x");
        assert.match(error ?? "", /cannot compile .*broken\.ts:[\s\S]*Expression expected/);
        assert.equal(entries().length, before, "no entry for a file the compiler reported");
    });

    test("ts-node goes through the same cache: tsconfig.json's ts-node section names the transpiler", () => {
        const file = path.join(dir, "viaTsNode.ts");
        fs.writeFileSync(file, "const n: number = 41;\nconsole.log(n + 1);\n");
        const before = entries().length;
        // From the checkout, as `pulumi` runs the root program and `npm test` runs the tests: ts-node reads
        // the checkout's tsconfig.json (no TS_NODE_TRANSPILE_ONLY: the section itself must ask for it).
        const env: NodeJS.ProcessEnv = { ...process.env, ALERT_ROUTING_TRANSPILE_CACHE: cache, NODE_OPTIONS: "" };
        delete env.TS_NODE_TRANSPILE_ONLY;
        const run = spawnSync(process.execPath, ["--require", "ts-node/register", file], { cwd: PROJECT_ROOT, env, encoding: "utf8" });
        assert.equal(run.status, 0, run.stderr);
        assert.equal(run.stdout.trim(), "42");
        assert.equal(entries().length, before + 1, "ts-node's compile of the file was kept in the cache");
    });
});
