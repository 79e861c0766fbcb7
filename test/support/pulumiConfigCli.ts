// What `pulumi config set/rm` does to a stack's config, for testing the commands the project prints
// against the value Pulumi would store. A small shell-word reader (plain words, '…', $'…') and
// Pulumi's storage rules:
// - with --path, "true"/"false" become booleans and digits become an int unless they start with
//   "0" (pulumi/pulumi sdk/go/common/resource/config/map.go, adjustObjectValue);
// - a --path key `ns:a.b[0]` edits the object stored under `ns:a` (same file, parseKeyPath);
// - a plain value under a key named like a secret needs --plaintext (see SECRET_LOOKING_NAME).
// test/e2e/pastedCommands.test.ts runs the same commands through the real CLI and compares.
// Config maps are as PULUMI_CONFIG holds them: objects as JSON text.

/** pkg/cmd/pulumi/config/config.go's keyPattern (v3.248.0). */
const SECRET_LOOKING_NAME = /passwd|pass|password|pwd|secret|token/i;

/** Splits one shell command line into words; refuses anything a paste would interpret. */
export function shellWords(line: string): string[] {
    const words: string[] = [];
    let i = 0;
    while (i < line.length) {
        if (line[i] === " ") {
            i++;
            continue;
        }
        let word = "";
        while (i < line.length && line[i] !== " ") {
            const c = line[i];
            if (c === "<") {
                // A placeholder the operator replaces, e.g. `<api key>`: one word here.
                const end = line.indexOf(">", i);
                if (end < 0) throw new Error(`unclosed placeholder in ${line}`);
                word += line.slice(i, end + 1);
                i = end + 1;
            } else if (c === "\\") {
                word += line[i + 1];
                i += 2;
            } else if (c === "'") {
                const end = line.indexOf("'", i + 1);
                if (end < 0) throw new Error(`unclosed quote in ${line}`);
                word += line.slice(i + 1, end);
                i = end + 1;
            } else if (c === "$" && line[i + 1] === "'") {
                i += 2;
                while (line[i] !== "'") {
                    if (i >= line.length) throw new Error(`unclosed $' in ${line}`);
                    if (line[i] === "\\") {
                        const next = line[i + 1];
                        if (next === "x") {
                            word += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
                            i += 4;
                        } else if (next === "u") {
                            word += String.fromCharCode(parseInt(line.slice(i + 2, i + 6), 16));
                            i += 6;
                        } else {
                            word += next;
                            i += 2;
                        }
                    } else word += line[i++];
                }
                i++;
            } else if (/[A-Za-z0-9_@%+=:,./<>-]/.test(c)) {
                word += c;
                i++;
            } else {
                throw new Error(`the shell would interpret ${JSON.stringify(c)} in: ${line}`);
            }
        }
        words.push(word);
    }
    return words;
}

/** The value `pulumi config set` stores for `text`. */
export function storedValue(text: string, path: boolean): unknown {
    if (!path) return text;
    if (text === "true") return true;
    if (text === "false") return false;
    if (text.length > 1 && text[0] === "0") return text;
    // strconv.Atoi: an optional sign and decimal digits, within int64.
    if (/^[+-]?\d+$/.test(text) && Math.abs(Number(text)) < 2 ** 63) return Number(text);
    return text;
}

function pathSegments(name: string): Array<string | number> {
    const out: Array<string | number> = [];
    for (const m of name.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
    return out;
}

export interface Applied {
    config: Record<string, string>;
    stack: string;
    secret: boolean;
}

/** What `fill` is asked for when a `set --secret` has no value: the CLI asks for it without echo (or reads stdin). */
export const ASKED = "<asked without echo>";

/**
 * Applies one printed `pulumi config set|rm` command to `config`. `fill` replaces a placeholder
 * (`<id>`) with what an operator would type, and gives what is typed at a secret's prompt (`ASKED`).
 * Throws on anything that is not exactly such a command.
 */
export function applyConfigCommand(
    config: Record<string, string>,
    line: string,
    fill: (placeholder: string, key: string) => string = (p) => p,
): Applied {
    const words = shellWords(line);
    if (words[0] !== "pulumi" || words[1] !== "config" || !["set", "rm"].includes(words[2]))
        throw new Error(`not a config command: ${line}`);
    const verb = words[2];
    let stack = "";
    let path = false;
    let secret = false;
    let plaintext = false;
    const rest: string[] = [];
    for (let i = 3; i < words.length; i++) {
        if (words[i] === "--stack") stack = words[++i];
        else if (words[i] === "--path") path = true;
        else if (words[i] === "--secret") secret = true;
        else if (words[i] === "--plaintext") plaintext = true;
        else if (words[i].startsWith("--")) throw new Error(`unknown flag ${words[i]} in: ${line}`);
        else rest.push(words[i]);
    }
    if (!stack) throw new Error(`no --stack in: ${line}`);
    // A secret is never on the printed line (shell history, `ps`): the CLI asks for it. A plain set always has its value.
    const expected = verb === "set" && !secret ? 2 : 1;
    if (rest.length !== expected)
        throw new Error(
            `expected key${expected === 2 ? " and value" : secret ? " and no value (a secret's value is asked for)" : ""} in: ${line}`,
        );
    const key = rest[0];
    // The CLI refuses a plain value that looks random under a key named like a secret unless --plaintext is given
    // (pkg/cmd/pulumi/config/config.go, looksLikeSecret: keyPattern, then zxcvbn entropy). The entropy part is not
    // modelled: every plain set of such a key needs the flag here, which is stricter than the CLI, never looser.
    if (verb === "set" && !secret && !plaintext && SECRET_LOOKING_NAME.test(key.slice(key.indexOf(":") + 1)))
        throw new Error(`pulumi refuses a value that looks like a secret under this key without --plaintext (or --secret): ${line}`);
    const raw = verb !== "set" ? undefined : secret ? fill(ASKED, key) : /^<.*>$/.test(rest[1]) ? fill(rest[1], key) : rest[1];
    const out = { ...config };
    const ns = key.slice(0, key.indexOf(":") + 1);
    const segments = path ? pathSegments(key.slice(ns.length)) : [key.slice(ns.length)];
    const top = `${ns}${segments[0]}`;
    if (segments.length === 1) {
        if (verb === "rm") delete out[top];
        else out[top] = raw!;
        return { config: out, stack, secret };
    }
    const root: unknown = out[top] === undefined ? (typeof segments[1] === "number" ? [] : {}) : JSON.parse(out[top]);
    let node = root as Record<string | number, unknown>;
    for (let i = 1; i < segments.length - 1; i++) {
        node[segments[i]] ??= typeof segments[i + 1] === "number" ? [] : {};
        node = node[segments[i]] as Record<string | number, unknown>;
    }
    const last = segments[segments.length - 1];
    if (verb === "rm") {
        if (Array.isArray(node) && typeof last === "number") node.splice(last, 1);
        else delete node[last];
    } else node[last] = storedValue(raw!, path);
    out[top] = JSON.stringify(root);
    return { config: out, stack, secret };
}

/** The `pulumi config set|rm` commands in a text, one per match. */
export function configCommandsIn(text: string): string[] {
    return [...text.matchAll(/pulumi config (?:set|rm) [^`\n]*?(?=`|\s{2,}|, then|\s+\(or |$)/gm)].map((m) => m[0].trim());
}
