// The commands this project prints and documents, pasted into bash and run by the real Pulumi CLI (issue 15:
// what the CLI does, not what a helper says it does). The stack's config check prints `pulumi config set|rm`
// fixes; test/stack/fixCommands.test.ts applies them to test/support/pulumiConfigCli.ts's model of Pulumi's
// storage rules. Here the same commands run for real: each exits 0, the CLI stores what the model says it
// stores, and the problem it was printed for is gone. And every `pulumi` command in the README and docs/
// names a command and flags this CLI has.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";

import * as YAML from "yaml";

import type { PulumiCli } from "../../dev/pulumi-cli";
import { PROJECT_ROOT } from "../../dev/paths";
import { configSetCommand, shellQuote } from "../../providers/core/shell";
import type { Environment } from "../../stack/routes";
import { badValues } from "../support/badConfig";
import { fill, problems } from "../support/fixCommands";
import { applyConfigCommand, ASKED, configCommandsIn, shellWords } from "../support/pulumiConfigCli";
import { pulumiCliOrSkip } from "../support/pulumiCli";
import { CANARY, committedConfig, installMocks, stackTestConfig } from "../support/stackHarness";

installMocks("production");
const cli = pulumiCliOrSkip();

interface Run {
    code: number;
    output: string;
}

/** One stack of the root project (its Pulumi.yaml and committed Pulumi.<stack>.yaml) on a file backend of its own. */
class ConfigStack {
    readonly root = fs.mkdtempSync(path.join(os.tmpdir(), "alert-routing-pasted-"));
    readonly project = path.join(this.root, "project");
    readonly stackFile: string;
    private readonly env: NodeJS.ProcessEnv;

    constructor(
        private readonly pulumi: PulumiCli,
        readonly stack: Environment,
    ) {
        fs.mkdirSync(this.project);
        fs.mkdirSync(path.join(this.root, "state"));
        fs.copyFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), path.join(this.project, "Pulumi.yaml"));
        this.stackFile = path.join(this.project, `Pulumi.${stack}.yaml`);
        fs.copyFileSync(path.join(PROJECT_ROOT, `Pulumi.${stack}.yaml`), this.stackFile);
        this.env = {
            ...process.env,
            // `pulumi` in a pasted line is this CLI.
            PATH: [path.dirname(pulumi.pulumi), ...pulumi.pathPrefix, process.env.PATH ?? ""].join(path.delimiter),
            PULUMI_HOME: path.join(this.root, "home"),
            PULUMI_BACKEND_URL: `file://${path.join(this.root, "state")}`,
            PULUMI_CONFIG_PASSPHRASE: "pasted-commands-test",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            NO_COLOR: "1",
        };
        const init = this.cli(["stack", "init", stack]);
        assert.equal(init.code, 0, init.output);
    }

    cli(args: string[]): Run {
        return this.spawn(this.pulumi.pulumi, args);
    }

    /** A line as an operator pastes it into bash; `typed` is what they type at the CLI's prompt (here its stdin). */
    paste({ line, typed }: Typed): Run {
        return this.spawn("bash", ["--noprofile", "--norc", "-c", line], typed);
    }

    /** The stack's config as the CLI reports it, in PULUMI_CONFIG's form (objects as JSON text), and which keys are secret. */
    config(): { config: Record<string, string>; secrets: string[] } {
        const shown = this.cli(["config", "--json", "--show-secrets", "--stack", this.stack]);
        assert.equal(shown.code, 0, shown.output);
        const entries = JSON.parse(shown.output) as Record<string, { value?: string; objectValue?: unknown; secret: boolean }>;
        const config: Record<string, string> = {};
        for (const [key, entry] of Object.entries(entries))
            config[key] = entry.objectValue !== undefined ? JSON.stringify(entry.objectValue) : (entry.value ?? "");
        return { config, secrets: Object.keys(entries).filter((key) => entries[key].secret) };
    }

    /** Replaces the stack file's config with `config` (objects from their JSON text), as an operator's editor would. */
    writeConfig(config: Record<string, string>): void {
        const values: Record<string, unknown> = {};
        for (const [key, text] of Object.entries(config)) values[key] = /^[[{]/.test(text) ? JSON.parse(text) : text;
        fs.writeFileSync(this.stackFile, YAML.stringify({ config: values }));
    }

    dispose(): void {
        fs.rmSync(this.root, { recursive: true, force: true });
    }

    private spawn(command: string, args: string[], input = ""): Run {
        const result = spawnSync(command, args, { cwd: this.project, env: this.env, encoding: "utf8", input });
        return { code: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
    }
}

interface Typed {
    line: string;
    /** What the operator types at the CLI's prompt: a secret's value is never on the line. */
    typed?: string;
}

/** The printed line with its placeholder (`<id>`) replaced by what the operator types, quoted for the shell; a
 * secret's value goes to the CLI's prompt (stdin, which the CLI reads when it is not a terminal). */
function typed(line: string, stack: Environment): Typed {
    const words = shellWords(line);
    const key = words.slice(3).filter((w, i, all) => !w.startsWith("--") && all[i - 1] !== "--stack")[0];
    if (words.includes("--secret")) return { line, typed: `${fill(stack)(ASKED, key)}\n` };
    const placeholder = /<[^<>]*>$/.exec(line)?.[0];
    return { line: placeholder ? `${line.slice(0, -placeholder.length)}${shellQuote(fill(stack)(placeholder, key))}` : line };
}

/** Config with every object's JSON text parsed, so two configs compare by value, not by key order. */
function byValue(config: Record<string, string>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(config).map(([key, text]) => [key, /^[[{]/.test(text) ? JSON.parse(text) : text]));
}

describe("printed and documented commands under the real Pulumi CLI", { skip: !cli, timeout: 1_800_000 }, () => {
    const stacks: ConfigStack[] = [];
    const stackFor = (stack: Environment): ConfigStack => {
        const made = new ConfigStack(cli!, stack);
        stacks.push(made);
        return made;
    };
    after(() => stacks.forEach((s) => s.dispose()));

    for (const stack of ["production", "staging"] as const) {
        it(`${stack}: the committed file plus every printed fix, pasted into bash, is a complete config; the CLI stored what the model says`, () => {
            const real = stackFor(stack);
            let model = committedConfig(stack);
            const secrets: string[] = [];
            const first = problems(stack, model);
            assert.ok(first.length >= 5, `the committed file lacks keys: ${first.map((p) => p.key).join(", ")}`);
            for (const p of first) {
                const [command] = configCommandsIn(p.fix);
                assert.ok(command, `${p.key}: the fix is a command: ${p.fix}`);
                const pasted = real.paste(typed(command, stack));
                assert.equal(pasted.code, 0, `${command}\n${pasted.output}`);
                const applied = applyConfigCommand(model, command, fill(stack));
                if (applied.secret) secrets.push(p.key);
                model = applied.config;
            }
            const stored = real.config();
            assert.deepEqual(byValue(stored.config), byValue(model), "the CLI stored what pulumiConfigCli.ts says it stores");
            assert.deepEqual(stored.secrets.sort(), secrets.sort(), "the keys set with --secret, and only those, are secret");
            assert.deepEqual(
                problems(stack, stored.config, stored.secrets).map((p) => `${p.key}: ${p.problem}`),
                [],
            );
            const file = fs.readFileSync(real.stackFile, "utf8");
            assert.ok(!file.includes(CANARY.apiKey), "the API key is in the stack file only encrypted");
            assert.match(file, /^# Still to set/m, "the CLI keeps the file's header comments");
        });

        it(`${stack}: each bad value's printed fix, pasted into bash, clears that key's problem in what the CLI stored`, () => {
            const real = stackFor(stack);
            for (const bad of badValues(stack)) {
                const { "incident-io:apiKey": _apiKey, ...plain } = stackTestConfig(stack, bad.config);
                real.writeConfig(plain);
                // What the program reads from that file (the CLI's reading of it is checked after the fix).
                const before = problems(stack, { ...plain, "incident-io:apiKey": CANARY.apiKey }).filter((p) => p.key === bad.key);
                assert.equal(before.length, 1, `${bad.what}: reported`);
                const [command] = configCommandsIn(before[0].fix);
                assert.ok(command, `${bad.what}: a command in ${before[0].fix}`);
                const pasted = real.paste(typed(command, stack));
                assert.equal(pasted.code, 0, `${bad.what}: ${command}\n${pasted.output}`);
                const after = problems(stack, { ...real.config().config, "incident-io:apiKey": CANARY.apiKey }).filter(
                    (p) => p.key === bad.key,
                );
                assert.deepEqual(after, [], `${bad.what}: ${command} cleared ${bad.key}`);
            }
        });
    }

    it("a secret key's two printed ways, pasted into bash: the key typed at the prompt is stored or exported, and is on no line", () => {
        const real = stackFor("staging");
        const fixes = problems("staging", {})
            .filter((p) => p.key.endsWith(":apiKey"))
            .map((p) => p.fix);
        assert.equal(fixes.length, 2, "incident-io:apiKey and checkly:apiKey are each printed");
        for (const fix of fixes) {
            assert.ok(!fix.includes("<"), `no placeholder for the value on the line: ${fix}`);
            const [command] = configCommandsIn(fix);
            const key = shellWords(command).at(-1)!;
            const typedKey = key === "checkly:apiKey" ? `${CANARY.apiKey}-checkly` : CANARY.apiKey;
            const stored = real.paste({ line: command, typed: `${typedKey}\n` });
            assert.equal(stored.code, 0, `${command}\n${stored.output}`);
            assert.equal(real.config().config[key], typedKey, `${command}: stored what was typed`);
            assert.ok(real.config().secrets.includes(key), `${command}: as a secret`);
            assert.ok(!fs.readFileSync(real.stackFile, "utf8").includes(typedKey), "encrypted in the stack file");

            const read = /`(read -rs (\w+) && export \2)`/.exec(fix);
            assert.ok(read, `the environment way is printed: ${fix}`);
            const exported = real.paste({ line: `${read[1]}; printenv ${read[2]}`, typed: `${typedKey}\n` });
            assert.equal(exported.code, 0, exported.output);
            assert.equal(exported.output, `${typedKey}\n`, `${read[1]}: the variable holds what was typed, for the commands after it`);
        }
    });

    it("a key with a quote and control characters: the printed `config rm` removes exactly that key", () => {
        const real = stackFor("staging");
        const key = "alert-routing:it's\u001b]52;c;x\u0007";
        real.writeConfig({ ...stackTestConfig("staging"), [key]: "1" });
        const [p] = problems("staging", { ...real.config().config, "incident-io:apiKey": CANARY.apiKey });
        assert.equal(p.key, key);
        const pasted = real.paste({ line: p.fix });
        assert.equal(pasted.code, 0, pasted.output);
        const left = real.config().config;
        assert.equal(left[key], undefined);
        assert.ok(Object.keys(left).length > 3, "the other keys stay");
    });

    it("a value with quotes, spaces and shell syntax under a key named like a secret: configSetCommand's line stores it byte for byte and runs nothing", () => {
        const real = stackFor("staging");
        const marker = path.join(real.root, "ran");
        const value = `it's "x" $(touch ${marker}) \`touch ${marker}\` ; touch ${marker} \\n\ttab`;
        // A key named like a secret: the CLI also refuses such a random-looking value without --plaintext.
        const line = configSetCommand({ stack: "staging", key: "alert-routing:alertmanager.extraSecrets[0]", value, path: true });
        const pasted = real.paste({ line });
        assert.equal(pasted.code, 0, `${line}\n${pasted.output}`);
        assert.deepEqual(JSON.parse(real.config().config["alert-routing:alertmanager"]).extraSecrets, [value]);
        assert.ok(!fs.existsSync(marker), "nothing in the value ran");
    });
});
