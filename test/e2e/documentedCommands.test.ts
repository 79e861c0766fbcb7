// Every `pulumi` command the README and docs/ tell an operator to run names a command and flags the real CLI
// has (issue 15: the CLI judges, not a reading of its source). `pulumi <words> --help` of the CLI the tier runs
// resolves each command; its "Flags:" and "Global Flags:" are the flags it takes.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";

import { commandWords, documentedPulumiCommands, parseHelp, unknownFlags, type CommandHelp } from "../support/documentedCommands";
import { pulumiCliOrSkip } from "../support/pulumiCli";

const cli = pulumiCliOrSkip();

describe("documented pulumi commands under the real CLI", { skip: !cli }, () => {
    const helps = new Map<string, CommandHelp | "unknown command">();
    /** The help of the command these words name (cached by the words before the first flag or placeholder). */
    const helpFor = (words: string[]): CommandHelp | "unknown command" => {
        const firstArgument = words.findIndex((w, i) => i > 0 && (w.startsWith("-") || w.startsWith("<")));
        const leading = words.slice(1, firstArgument < 0 ? undefined : firstArgument);
        const key = leading.join(" ");
        if (!helps.has(key)) {
            const result = spawnSync(cli!.pulumi, [...leading, "--help"], {
                encoding: "utf8",
                env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true", NO_COLOR: "1" },
            });
            helps.set(key, result.status === 0 ? parseHelp(result.stdout) : "unknown command");
        }
        return helps.get(key)!;
    };

    it("the reader finds the commands and the flags as the CLI lists them", () => {
        assert.deepEqual(commandWords(`pulumi config set --stack staging --path 'alert-routing:aws.accountId' <12 digits>   # the id`), [
            ..."pulumi config set --stack staging --path".split(" "),
            "alert-routing:aws.accountId",
            "<12 digits>",
        ]);
        assert.deepEqual(commandWords(`pulumi config set a "$(aws sts get-caller-identity --query Account)" | tee x`), [
            "pulumi",
            "config",
            "set",
            "a",
            "$(aws sts get-caller-identity --query Account)",
        ]);
        const up = helpFor(["pulumi", "up"]);
        assert.ok(up !== "unknown command");
        assert.deepEqual(up.path, ["up"]);
        assert.deepEqual(up.flags.get("stack"), { takesValue: true });
        assert.deepEqual(up.flags.get("s"), { takesValue: true });
        assert.deepEqual(up.flags.get("refresh"), { takesValue: false });
        assert.deepEqual(unknownFlags(["pulumi", "up", "--stack", "--refresh", "--no-such-flag", "-y"], up), ["--no-such-flag"]);
        assert.equal(helpFor(["pulumi", "preview/up"]), "unknown command");
    });

    it("every documented command exists and uses only flags it has", () => {
        const documented = documentedPulumiCommands();
        assert.ok(documented.length >= 80, `found only ${documented.length} commands: is the reader broken?`);
        const wrong: string[] = [];
        for (const { where, text } of documented) {
            const words = commandWords(text);
            const help = helpFor(words);
            if (help === "unknown command") wrong.push(`${where}: \`${text}\`: no such command`);
            else {
                const unknown = unknownFlags(words.slice(1 + help.path.length), help);
                if (unknown.length) wrong.push(`${where}: \`${text}\`: pulumi ${help.path.join(" ")} has no ${unknown.join(", ")}`);
            }
        }
        assert.deepEqual(wrong, []);
    });
});
