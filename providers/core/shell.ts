// Every command the project prints is pasted into a shell, often at night during an incident: each
// value in it is quoted for the shell, every text shown beside it has its control characters
// escaped (a name from an API answer could hold a newline, ESC or an OSC 52 clipboard write), and
// every `pulumi config` command names its stack. One home for that, used by the providers'
// messages, the stack's config errors and the operator scripts.

/** Words a POSIX shell never interprets: printed as they are. */
const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** C0, DEL, C1, the line and paragraph separators, and the bidirectional overrides (which can make
 * a terminal show text in another order than the shell reads it). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escapeOne = (c: string): string => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
};

/** The text with every control character written as `\xNN` / `\uNNNN`: safe to print in a table or comment. */
export function escapeControl(text: string): string {
    return String(text).replace(CONTROL, escapeOne);
}

export function hasControl(text: string): boolean {
    return new RegExp(CONTROL.source).test(text);
}

/**
 * One shell word holding exactly `value`: plain words as they are, anything else in single quotes
 * (a `'` inside as `'\''`). A value with control characters is written as `$'...'` with escapes
 * (bash, zsh, ksh), so no raw control character ever reaches the terminal.
 */
export function shellQuote(value: string): string {
    const text = String(value);
    if (text !== "" && PLAIN_WORD.test(text)) return text;
    if (hasControl(text)) return `$'${text.replace(/[\\']/g, (c) => `\\${c}`).replace(CONTROL, escapeOne)}'`;
    return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Always quoted (config keys: `[0]` and `.` read better quoted, and stay one word in every shell). */
function quoteKey(key: string): string {
    return hasControl(key) || key.includes("'") ? shellQuote(key) : `'${key}'`;
}

/** A placeholder the operator replaces (`<id>`, `<12-digit account id>`): printed as it is. */
const PLACEHOLDER = /^<[A-Za-z0-9 .,:_@/-]*>$/;

/**
 * An id that may go into a command, a file name or a stack file: letters, digits, `_` and `-`.
 * Deliberately not incident.io's ULID pattern (it may change its id format); what matters here
 * is that such an id needs no quoting and can name no other path.
 */
export const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

export const isSafeId = (value: unknown): value is string => typeof value === "string" && SAFE_ID.test(value);

/** The stack a command is for; unknown is printed as the placeholder `<stack>`, never left out:
 * a command without `--stack` changes whichever stack happens to be selected. */
function stackFlag(stack: string | undefined): string {
    return `--stack ${stack ? shellQuote(stack) : "<stack>"}`;
}

export interface ConfigCommand {
    stack: string | undefined;
    key: string;
    /** A literal value (quoted as needed) or a placeholder such as `<id>`; never given for a secret. */
    value?: string;
    path?: boolean;
    secret?: boolean;
}

/**
 * Key names `pulumi config set` distrusts: given a value that looks random enough (zxcvbn entropy of its first 16
 * characters), it refuses to store it in plain text without `--plaintext` ("looks like a secret; rerun with --secret
 * ... or --plaintext"). `alert-routing:adoptTokenSecretArn` with an ARN is refused so. The pattern is the CLI's
 * (pkg/cmd/pulumi/config/config.go, keyPattern, v3.248.0), matched against the key without its namespace.
 */
const SECRET_LOOKING_NAME = /passwd|pass|password|pwd|secret|token/i;

/** Whether a plain `pulumi config set` of this key needs `--plaintext` to be stored (see SECRET_LOOKING_NAME). */
export function needsPlaintextFlag(key: string): boolean {
    return SECRET_LOOKING_NAME.test(key.slice(key.indexOf(":") + 1));
}

/**
 * `pulumi config set --stack <stack> [--secret | --plaintext] [--path] '<key>' <value>`. A secret's command has no
 * value: typed on a command line, a key stays in the shell's history and shows in `ps`. Without one the CLI asks
 * for it without echo, or reads it from stdin when that is not a terminal (`printenv X | pulumi config set ...`;
 * pkg/cmd/pulumi/config/config.go, v3.248.0).
 */
export function configSetCommand(c: ConfigCommand): string {
    const head = `pulumi config set ${stackFlag(c.stack)}`;
    if (c.secret) return `${head} --secret${c.path ? " --path" : ""} ${quoteKey(c.key)}`;
    if (c.value === undefined) throw new Error(`configSetCommand: no value for ${c.key}`);
    const value = PLACEHOLDER.test(c.value) ? c.value : shellQuote(c.value);
    return `${head}${needsPlaintextFlag(c.key) ? " --plaintext" : ""}${c.path ? " --path" : ""} ${quoteKey(c.key)} ${value}`;
}

/** What the CLI does with a secret's command: said beside it, so the operator knows the silence is a prompt. */
export const ASKS_WITHOUT_ECHO = "it asks for the value without echo";

/**
 * Puts a key into an environment variable without it reaching the screen or the shell's history (bash, zsh):
 * `read -rs NAME && export NAME`, then the operator pastes the key and presses Enter.
 */
export function exportSecretCommand(name: string): string {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`exportSecretCommand: not a variable name: ${name}`);
    return `read -rs ${name} && export ${name}`;
}

interface SecretKey {
    stack: string | undefined;
    key: string;
    /** The environment variable that may hold it instead. */
    env: string;
}

/** The two ways to give a secret key, as a sentence of a message says them (commands in backticks). `fromConfig`: the
 * key in use came from the stack's config, which wins over the environment, so only the config's way is said. */
export function secretKeyFix(c: SecretKey & { fromConfig?: boolean }): string {
    const set = `\`${configSetCommand({ stack: c.stack, key: c.key, secret: true })}\` (${ASKS_WITHOUT_ECHO})`;
    return c.fromConfig ? set : `${set}, or ${c.env} in the environment: \`${exportSecretCommand(c.env)}\` (paste the key, then Enter)`;
}

/** The same as one fix of a list (the config check's, the stack files' headers): the command first, as it is pasted. */
export function secretKeyLine(c: SecretKey): string {
    return `${configSetCommand({ stack: c.stack, key: c.key, secret: true })}   (${ASKS_WITHOUT_ECHO}; or \`${exportSecretCommand(c.env)}\`)`;
}

/** `pulumi config rm --stack <stack> [--path] '<key>'`. */
export function configRmCommand(c: Omit<ConfigCommand, "value" | "secret">): string {
    return `pulumi config rm ${stackFlag(c.stack)}${c.path ? " --path" : ""} ${quoteKey(c.key)}`;
}

/** `pulumi config get --stack <stack> [--path] '<key>'` (`--path` for a key inside an object, `group.name`). */
export function configGetCommand(stack: string | undefined, key: string, path = false): string {
    return `pulumi config get ${stackFlag(stack)}${path ? " --path" : ""} ${quoteKey(key)}`;
}

/** A value as an error message shows it: JSON for strings and structures, but NaN, ±Infinity,
 * undefined and functions by their own names (JSON.stringify would say `null`, or nothing). */
export function describeValue(value: unknown): string {
    if (typeof value === "number" && !Number.isFinite(value)) return String(value);
    if (value === undefined) return "undefined";
    if (typeof value === "bigint") return `${value}n`;
    if (typeof value === "function" || typeof value === "symbol") return `a ${typeof value}`;
    try {
        const json = JSON.stringify(value, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v));
        return escapeControl(json ?? String(value));
    } catch {
        return escapeControl(String(value));
    }
}

/** `pulumi <verb> --stack <stack>`, e.g. `pulumi refresh --stack staging`. */
export function pulumiCommand(verb: string, stack: string | undefined): string {
    return `pulumi ${verb} ${stackFlag(stack)}`;
}
