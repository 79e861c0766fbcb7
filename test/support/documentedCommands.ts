// The `pulumi` commands the README and docs/ tell an operator to run, and the words of each as a shell reads
// them: for test/e2e/documentedCommands.test.ts, which asks the real CLI whether each command and flag exists.
import * as fs from "node:fs";
import * as path from "node:path";

import { PROJECT_ROOT } from "../../dev/paths";

export interface DocumentedCommand {
    /** `docs/runbooks.md:144` */
    where: string;
    /** The command as written, from `pulumi` to the end of the code span or line. */
    text: string;
}

/** The markdown files an operator reads: the README and every file in docs/. */
export function operatorDocs(): string[] {
    const docs = path.join(PROJECT_ROOT, "docs");
    return [
        path.join(PROJECT_ROOT, "README.md"),
        ...fs
            .readdirSync(docs)
            .filter((f) => f.endsWith(".md"))
            .map((f) => path.join(docs, f)),
    ];
}

/** Every `pulumi …` in an inline code span, and every line of a fenced block that starts with `pulumi ` (or `$ pulumi `). */
export function documentedPulumiCommands(files: string[] = operatorDocs()): DocumentedCommand[] {
    return documentedCommands("pulumi", files);
}

/** The same for another program's commands (`npm run …`: program "npm"). */
export function documentedCommands(program: string, files: string[] = operatorDocs()): DocumentedCommand[] {
    const out: DocumentedCommand[] = [];
    for (const file of files) {
        const where = (line: number) => `${path.relative(PROJECT_ROOT, file)}:${line + 1}`;
        let fenced = false;
        fs.readFileSync(file, "utf8")
            .split("\n")
            .forEach((line, i) => {
                if (/^\s*```/.test(line)) {
                    fenced = !fenced;
                    return;
                }
                if (fenced) {
                    const command = new RegExp(`^\\s*(?:\\$ )?(${program} \\S.*)$`).exec(line)?.[1];
                    if (command) out.push({ where: where(i), text: command });
                    return;
                }
                for (const m of line.matchAll(new RegExp(`\`(${program} [^\`]+)\``, "g"))) out.push({ where: where(i), text: m[1] });
            });
    }
    return out;
}

/**
 * The words of one command line as the shell splits them, up to a comment, pipe, `;`, `&&` or redirection.
 * Quotes are kept out of the words; `$(…)` and a `<placeholder with spaces>` stay one word each.
 */
export function commandWords(text: string): string[] {
    const words: string[] = [];
    let word = "";
    let inWord = false;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === " " || c === "\t") {
            if (inWord) words.push(word);
            word = "";
            inWord = false;
            continue;
        }
        if (!inWord && (c === "#" || c === "|" || c === ";" || c === ">" || text.startsWith("&&", i))) break;
        inWord = true;
        if (c === "'" || c === '"') {
            const end = text.indexOf(c, i + 1);
            word += text.slice(i + 1, end < 0 ? text.length : end);
            i = end < 0 ? text.length : end;
        } else if (c === "<" && word === "") {
            const end = text.indexOf(">", i);
            word += text.slice(i, end < 0 ? text.length : end + 1);
            i = end < 0 ? text.length : end;
        } else if (text.startsWith("$(", i)) {
            let depth = 0;
            let j = i;
            for (; j < text.length; j++) {
                if (text[j] === "(") depth++;
                else if (text[j] === ")" && --depth === 0) break;
            }
            word += text.slice(i, j + 1);
            i = j;
        } else word += c;
    }
    if (inWord) words.push(word);
    return words;
}

export interface CommandHelp {
    /** `["config", "set"]`: the command `pulumi … --help` resolved the words to. */
    path: string[];
    /** Long flag names (without `--`) and short letters, each with whether it takes a value. */
    flags: Map<string, { takesValue: boolean }>;
}

/** Reads cobra's `--help`: the command from its Usage line, the flags from "Flags:" and "Global Flags:". */
export function parseHelp(help: string): CommandHelp {
    const usage = /^Usage:\n\s+pulumi((?: [a-z][a-z0-9-]*)*)/m.exec(help);
    const flags = new Map<string, { takesValue: boolean }>();
    for (const m of help.matchAll(/^\s+(?:-([A-Za-z]), )?--([a-z0-9-]+)(?: ([A-Za-z]+)(?:\[=[^\]]*\])?)?(?: {2,}|$)/gm)) {
        // `--name type` takes the next word; `--name type[=default]` takes a value only as `--name=value`.
        const takesValue = m[3] !== undefined && !m[0].includes("[=");
        flags.set(m[2], { takesValue });
        if (m[1]) flags.set(m[1], { takesValue });
    }
    return { path: (usage?.[1] ?? "").split(" ").filter(Boolean), flags };
}

/** The flags a command's words use that its help does not list, as written. */
export function unknownFlags(words: string[], help: CommandHelp): string[] {
    const unknown: string[] = [];
    for (let i = 0; i < words.length; i++) {
        const word = words[i];
        if (!word.startsWith("-") || word === "-" || word === "--") continue;
        const long = word.startsWith("--");
        const names = long ? [word.slice(2).split("=")[0]] : [...word.slice(1)];
        for (const name of names) {
            const flag = help.flags.get(name);
            if (!flag) unknown.push(long ? `--${name}` : `-${name}`);
            else if (flag.takesValue && !word.includes("=")) i++;
        }
    }
    return unknown;
}
