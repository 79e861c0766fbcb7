// Issue 16 item 2: every command the code prints names the stack it is about and quotes its values.
// Two halves: a scan of the sources (a `pulumi config` command written by hand, outside the one
// helper in providers/core/shell.ts, fails it), and the messages themselves, produced by the code
// that prints them and checked word by word.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";

import { ChecklyClient } from "../../providers/checkly/client";
import { checklyCredentialProblems, readChecklySettings } from "../../providers/checkly/settings";
import { configSetCommand } from "../../providers/core/shell";
import { incidentIoKeyCheck } from "../../providers/incident-io/keyCheck";
import type { IncidentIoClient } from "../../providers/incident-io/client/client";
import type { ProviderSettings } from "../../providers/incident-io/settings";
import { v3RefusalMessage } from "../../providers/incident-io/v3";
import { alertmanagerBefore, takeoverProblems } from "../../stack/alertmanagerTakeover";

const ROOT = path.resolve(__dirname, "..", "..");
const SCANNED = ["providers", "stack", "scripts", "dev"];
/** The one place a `pulumi config` command is spelled out. */
const HELPER = path.join("providers", "core", "shell.ts");

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) return e.name === "node_modules" ? [] : sourceFiles(full);
        return /\.(ts|js)$/.test(e.name) ? [full] : [];
    });
}

/** Code lines (comments dropped) that mention `pulumi <verb>`, as `file:line: text`. */
function printedPulumiLines(): Array<{ where: string; text: string }> {
    const out: Array<{ where: string; text: string }> = [];
    for (const top of SCANNED) {
        for (const file of sourceFiles(path.join(ROOT, top))) {
            const rel = path.relative(ROOT, file);
            fs.readFileSync(file, "utf8")
                .split("\n")
                .forEach((line, i) => {
                    if (/^\s*(\/\/|\*|\/\*)/.test(line)) return;
                    const code = line.replace(/\s\/\/\s.*$/, "");
                    if (/pulumi (config|up|refresh|preview|destroy|import|state|stack)\b/.test(code))
                        out.push({ where: `${rel}:${i + 1}`, text: code.trim() });
                });
        }
    }
    return out;
}

/** `pulumi <verb>` named in prose the heuristic below would take for an instruction; each with why it may stay. */
const PROSE: Array<[file: string, phrase: RegExp, why: string]> = [
    ["stack/config.ts", /`pulumi config set --path` stores/, "explains what Pulumi stores"],
    ["dev/demo/run.ts", /mustNotWrite\("pulumi preview --diff"\)/, "the demo's name for its own step, not a command shown"],
];

/** A mention is an instruction to run it (so it must name the stack) when it carries flags, or
 * follows "run", "then", "try" or a colon; "the next `pulumi up` will..." is prose. */
function isInstruction(before: string, mention: string): boolean {
    return /\s--[a-z]/.test(mention) || /(\b(run|Run|then|try|Try)\b|:)\W{0,3}$/.test(before);
}

describe("issue 16 item 2: printed commands name --stack and quote their values", () => {
    test("issue 16 item 2: no source spells out a `pulumi config` command except providers/core/shell.ts", () => {
        const handWritten = printedPulumiLines().filter(
            (l) =>
                !l.where.startsWith(`${HELPER}:`) &&
                /pulumi config (set|rm|get)\b/.test(l.text) &&
                !PROSE.some(([f, p]) => l.where.startsWith(`${f}:`) && p.test(l.text)),
        );
        assert.deepEqual(handWritten, [], "build these with configSetCommand / configRmCommand / configGetCommand");
    });

    test("issue 16 item 2: every `pulumi <verb>` the code tells someone to run carries --stack", () => {
        const lines = printedPulumiLines().filter((l) => !l.where.startsWith(`${HELPER}:`));
        const bare = lines.filter((l) => {
            if (PROSE.some(([f, p]) => l.where.startsWith(`${f}:`) && p.test(l.text))) return false;
            // Each mention up to the end of its command (a backtick, a quote, or a parenthesis) names the stack.
            const mentions = [...l.text.matchAll(/pulumi (?:config|up|refresh|preview|destroy|import|state|stack)\b[^`"'(]*/g)];
            return mentions.some((m) => isInstruction(l.text.slice(0, m.index), m[0]) && !/--stack\b/.test(m[0]));
        });
        assert.deepEqual(
            bare,
            [],
            "build the command with pulumiCommand (providers/core/shell.ts); prose the heuristic misreads goes into PROSE with its reason",
        );
        // The allow-list does not rot: each entry still matches a line.
        for (const [file, phrase] of PROSE)
            assert.ok(
                lines.some((l) => l.where.startsWith(`${file}:`) && phrase.test(l.text)),
                `${file} ${phrase}: no longer present; drop it`,
            );
    });

    test("issue 16 item 2: Checkly's settings print `pulumi config set --stack <the stack>` with the key quoted", () => {
        const bad = {
            "checkly:onConflict": "sometimes",
            "checkly:maxRetries": "lots",
            "checkly:baseUrl": "http://example.com",
            "checkly:apiKey": "cu_a\nb",
        } as Record<string, string>;
        let message = "";
        try {
            readChecklySettings((k) => bad[k], {}, "staging");
        } catch (error) {
            message = (error as Error).message;
        }
        const commands = message.match(/pulumi config (?:set|rm|get)[^`\n(]*/g) ?? [];
        assert.equal(commands.length, 4, message);
        for (const c of commands)
            assert.match(c, /^pulumi config (set|rm|get) --stack staging (--secret 'checkly:apiKey'$|'checkly:[A-Za-z]+' )/, c);
        assert.match(message, /pulumi config set --stack staging 'checkly:onConflict' fail/);
        assert.match(message, /pulumi config set --stack staging 'checkly:maxRetries' 5/);
        assert.match(message, /`pulumi config set --stack staging --secret 'checkly:apiKey'` \(it asks for the value without echo\)/);

        for (const p of checklyCredentialProblems(undefined, "not-a-uuid", "production"))
            for (const c of p.match(/pulumi config (?:set|rm)[^`\n(]*/g) ?? []) assert.match(c, /--stack production /);
    });

    test("issue 16 item 2: the Checkly client names its stack when the key is missing", async () => {
        const client = new ChecklyClient({
            baseUrl: "http://127.0.0.1:9",
            apiKey: () => undefined,
            accountId: () => undefined,
            stack: "production",
        });
        await assert.rejects(client.getAlertChannel("1"), (e: Error) => {
            assert.match(e.message, /pulumi config set --stack production --secret 'checkly:apiKey' {3}\(it asks/);
            assert.match(e.message, /pulumi config set --stack production 'checkly:accountId' <account id>/);
            return true;
        });
    });

    test("issue 16 item 2: the key check before a write names the stack in both commands it prints", async () => {
        const settings = { baseUrl: "http://127.0.0.1:1", apiKey: `item2-${process.pid}-read-only` } as ProviderSettings;
        const client = {
            getIdentity: async () => ({ name: "viewer only", roles: ["viewer"], teamRoles: [], teams: [] }),
        } as unknown as IncidentIoClient;
        await assert.rejects(incidentIoKeyCheck.beforeWrite(client, settings, "production"), (e: Error) => {
            assert.match(e.message, /`pulumi config set --stack production --secret 'incident-io:apiKey'` \(it asks/);
            assert.match(e.message, /`pulumi up --stack production` again/);
            return true;
        });
    });

    test("issue 16 item 2: the v3 refusal names --stack even when the stack is not known", () => {
        assert.match(v3RefusalMessage("r", "01ABC", ["x"], "staging"), /`pulumi refresh --stack staging` and `pulumi up --stack staging`/);
        assert.match(v3RefusalMessage("r", "01ABC", ["x"]), /`pulumi refresh --stack <stack>` and `pulumi up --stack <stack>`/);
    });

    test("issue 16 item 2: the Alertmanager takeover's commands quote a Secret name read from the cluster", () => {
        const before = alertmanagerBefore("main", "monitoring", {
            secrets: ["plain", "odd$(touch pwned)"],
            configSecret: "alertmanager-main",
        });
        const [line] = takeoverProblems(before, { extraSecrets: [], takeOverConfig: false }, "production");
        assert.match(line, /pulumi config set --stack production --plaintext --path 'alert-routing:alertmanager\.extraSecrets\[0\]' plain/);
        assert.match(
            line,
            /pulumi config set --stack production --plaintext --path 'alert-routing:alertmanager\.extraSecrets\[1\]' 'odd\$\(touch pwned\)'/,
        );
    });

    test("a plain value under a key named like a secret carries --plaintext, which `pulumi config set` otherwise demands", () => {
        const cases: Array<[string, boolean, string]> = [
            [
                "alert-routing:adoptTokenSecretArn",
                false,
                "pulumi config set --stack staging --plaintext 'alert-routing:adoptTokenSecretArn' <arn>",
            ],
            [
                "alert-routing:secretStore.name",
                true,
                "pulumi config set --stack staging --plaintext --path 'alert-routing:secretStore.name' <arn>",
            ],
            [
                "alert-routing:alertSourceToken",
                false,
                "pulumi config set --stack staging --plaintext 'alert-routing:alertSourceToken' <arn>",
            ],
            ["checkly:PassPhrase", false, "pulumi config set --stack staging --plaintext 'checkly:PassPhrase' <arn>"],
            ["alert-routing:aws.accountId", true, "pulumi config set --stack staging --path 'alert-routing:aws.accountId' <arn>"],
            // "secret" in the namespace only: the CLI matches the key's name, not its namespace.
            ["secrets:region", false, "pulumi config set --stack staging 'secrets:region' <arn>"],
        ];
        for (const [key, path, expected] of cases)
            assert.equal(configSetCommand({ stack: "staging", key, value: "<arn>", path }), expected, key);
        assert.equal(
            configSetCommand({ stack: "staging", key: "incident-io:apiKey", secret: true }),
            "pulumi config set --stack staging --secret 'incident-io:apiKey'",
            "--secret, never both",
        );
        // A secret never goes on a command line (shell history, `ps`): the CLI asks for it. Even a value given is left out.
        assert.equal(
            configSetCommand({ stack: "staging", key: "checkly:apiKey", value: "cu_canary_0123456789abcdef", secret: true }),
            "pulumi config set --stack staging --secret 'checkly:apiKey'",
        );
    });
});
