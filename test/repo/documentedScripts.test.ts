// Every `npm run <script> -- <flags>` the README and docs/ tell someone to run names a script of package.json,
// and each flag it passes is one that script reads (a flag renamed in the code and not in a runbook fails here).
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

import { PROJECT_ROOT } from "../../dev/paths";
import { commandWords, documentedCommands } from "../support/documentedCommands";

const scripts = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> })
    .scripts;

/** The flags a script's entry file (and the modules beside it that it imports) spells out: `"--name"`, or a name
 * in a `parseFlags(argv, [...], [...])` list. */
function flagsRead(script: string): Set<string> | undefined {
    const entry = /\b((?:scripts|dev|bench)\/[\w/.-]+\.ts)\b/.exec(scripts[script])?.[1];
    if (!entry) return undefined;
    const file = path.join(PROJECT_ROOT, entry);
    const sources = [file];
    for (const m of fs.readFileSync(file, "utf8").matchAll(/from "\.\/([\w-]+)"/g)) {
        const beside = path.join(path.dirname(file), `${m[1]}.ts`);
        // Another script's entry file holds that script's flags, not this one's.
        const entryOfAnother = Object.values(scripts).some((command) => command.includes(path.relative(PROJECT_ROOT, beside)));
        if (fs.existsSync(beside) && !entryOfAnother) sources.push(beside);
    }
    const flags = new Set<string>();
    for (const source of sources) {
        const text = fs.readFileSync(source, "utf8");
        for (const m of text.matchAll(/"--([a-z][a-z0-9-]*)"/g)) flags.add(m[1]);
        for (const m of text.matchAll(/parseFlags\([^)]*\)/g)) for (const n of m[0].matchAll(/"([a-z][a-z0-9-]*)"/g)) flags.add(n[1]);
    }
    return flags;
}

describe("documented npm scripts", () => {
    it("the reader sees the flags a script reads", () => {
        const restore = flagsRead("restore-routes");
        assert.ok(restore?.has("only") && restore.has("yes") && restore.has("dry-run") && !restore.has("force"));
        assert.ok(flagsRead("bench")?.has("cli-runs"), "bench's flags live in bench/args.ts, which bench/run.ts imports");
    });

    it("every documented `npm run` names a script and only flags it reads", () => {
        const documented = documentedCommands("npm run");
        assert.ok(documented.length >= 30, `found only ${documented.length}: is the reader broken?`);
        const wrong: string[] = [];
        for (const { where, text } of documented) {
            const words = commandWords(text);
            const script = words[2];
            if (!(script in scripts)) {
                wrong.push(`${where}: \`${text}\`: package.json has no script "${script}"`);
                continue;
            }
            const passed = words.slice(words.indexOf("--") + 1 || words.length).filter((w) => w.startsWith("--"));
            if (passed.length === 0) continue;
            const read = flagsRead(script);
            const unknown = passed.map((w) => w.slice(2).split("=")[0]).filter((name) => !read?.has(name));
            if (unknown.length) wrong.push(`${where}: \`${text}\`: ${script} reads no ${unknown.map((n) => `--${n}`).join(", ")}`);
        }
        assert.deepEqual(wrong, []);
    });
});
