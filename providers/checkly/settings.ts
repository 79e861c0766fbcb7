// Checkly's settings, from the stack config Pulumi hands to `configure` (or the environment).
// Pure: tested with plain tables. The stack checks the same keys up front (stack/config.ts), so a
// missing or malformed one stops `pulumi preview` before any request; these checks are the
// provider's own line for `refresh`/`destroy`, which run without the program.
import { configGetCommand, configRmCommand, configSetCommand, secretKeyFix, secretKeyLine } from "../core/shell";
import { cleanApiKey, escapeControl, parseBaseUrl, stackSettingFix, type ApiOrigin } from "../incident-io";

export const CHECKLY_CONFIG_KEYS = {
    apiKey: "checkly:apiKey",
    accountId: "checkly:accountId",
    baseUrl: "checkly:baseUrl",
    requestTimeoutSeconds: "checkly:requestTimeoutSeconds",
    maxRetries: "checkly:maxRetries",
    maxRetryWaitSeconds: "checkly:maxRetryWaitSeconds",
    operationTimeoutSeconds: "checkly:operationTimeoutSeconds",
    onConflict: "checkly:onConflict",
} as const;
export const CHECKLY_API_KEY_ENV = "CHECKLY_API_KEY";
export const CHECKLY_ACCOUNT_ID_ENV = "CHECKLY_ACCOUNT_ID";

/** Checkly's public API (API reference: servers: https://api.checklyhq.com). The dashboard
 * (app.checklyhq.com) and the docs are other hosts of checklyhq.com and answer API paths with HTML. */
export const CHECKLY_ORIGIN: ApiOrigin = {
    service: "Checkly's API",
    defaultUrl: "https://api.checklyhq.com",
    apiHost: "api.checklyhq.com",
    notTheApi: /(^|\.)checklyhq\.com$/,
    apiKeyKey: CHECKLY_CONFIG_KEYS.apiKey,
    apiKeyEnv: CHECKLY_API_KEY_ENV,
    pathPrefix: "/v1/...",
};
export const CHECKLY_DEFAULT_BASE_URL = CHECKLY_ORIGIN.defaultUrl;

/** Checkly allows 600 requests every 60 seconds for most routes (API reference, overview). */
export const CHECKLY_LIMITS = { requestsPerMinute: 600, maxConcurrency: 4 } as const;

/** The account header's value is the account's uuid (API reference: x-checkly-account, x-format guid). */
export const CHECKLY_ACCOUNT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ChecklySettings {
    baseUrl: string;
    /** What `update` does when the channel changed in Checkly since the last up or refresh. */
    onConflict: "fail" | "overwrite";
    /** Checkly has no managed-resource claim: always false (the shared core's setting). */
    claimManaged: false;
    /** The stack, named in the client's fix commands. */
    stack?: string;
    /** From checkly:apiKey (secret) or CHECKLY_API_KEY; never serialized. */
    apiKey?: string;
    accountId?: string;
    requestTimeoutMs: number;
    maxRetries: number;
    maxRetryWaitMs: number;
    operationTimeoutMs: number;
}

export const CHECKLY_DEFAULTS = { requestTimeoutMs: 30_000, maxRetries: 5, maxRetryWaitMs: 60_000, operationTimeoutMs: 300_000 } as const;

/** The commands that set each key, for the messages here and in stack/config.ts. */
export function checklySetCommand(key: "apiKey" | "accountId" | "baseUrl", stack?: string): string {
    // Built by the core's one command helper: `--stack` always (`<stack>` while unknown), values quoted.
    switch (key) {
        case "apiKey":
            return secretKeyLine({ stack, key: CHECKLY_CONFIG_KEYS.apiKey, env: CHECKLY_API_KEY_ENV });
        case "accountId":
            return `${configSetCommand({ stack, key: CHECKLY_CONFIG_KEYS.accountId, value: "<account id>" })}   (or export ${CHECKLY_ACCOUNT_ID_ENV}; Checkly → Account settings → General)`;
        case "baseUrl":
            return `${configSetCommand({ stack, key: CHECKLY_CONFIG_KEYS.baseUrl, value: CHECKLY_DEFAULT_BASE_URL })}   (or \`${configRmCommand({ stack, key: CHECKLY_CONFIG_KEYS.baseUrl })}\`)`;
    }
}

/** The command that shows the base URL in use, for the client's messages. */
export const checklyShowBaseUrl = (stack?: string): string => configGetCommand(stack, CHECKLY_CONFIG_KEYS.baseUrl);

/** How to set the key again when it was pasted with a line break. */
export function checklyKeyFix(stack?: string, fromConfig?: boolean): string {
    return secretKeyFix({ stack, key: CHECKLY_CONFIG_KEYS.apiKey, env: CHECKLY_API_KEY_ENV, fromConfig });
}

/** One problem per key, with its command; empty when the key and account can be used. */
export function checklyCredentialProblems(apiKey: string | undefined, accountId: string | undefined, stack?: string): string[] {
    const problems: string[] = [];
    if (!apiKey) problems.push(`${CHECKLY_CONFIG_KEYS.apiKey} is not set (a Checkly API key): ${checklySetCommand("apiKey", stack)}`);
    if (!accountId)
        problems.push(
            `${CHECKLY_CONFIG_KEYS.accountId} is not set (the Checkly account the channel is in): ${checklySetCommand("accountId", stack)}`,
        );
    else if (!CHECKLY_ACCOUNT_ID.test(accountId)) problems.push(accountIdProblem(accountId, stack));
    return problems;
}

function accountIdProblem(accountId: string, stack?: string): string {
    return `${CHECKLY_CONFIG_KEYS.accountId} must be the account's id (a uuid such as 7e4a5c38-9c9f-4b3e-8d4e-2f1f6c0a1b2c), got ${JSON.stringify(accountId)}: ${checklySetCommand("accountId", stack)}`;
}

/** Reads the settings; throws one error naming every bad key and its command. A missing key or
 * account is not an error here: the first request refuses it (configure must not throw). */
export function readChecklySettings(
    get: (key: string) => string | undefined,
    env: NodeJS.ProcessEnv = process.env,
    /** The stack the settings belong to, named in every fix command (`<stack>` when unknown). */
    stack?: string,
): ChecklySettings {
    const problems: string[] = [];
    const text = (key: string) => {
        const v = get(key);
        return v === undefined || v === "" ? undefined : String(v);
    };
    const number = (key: string, fallback: number, min: number, max: number) => {
        const raw = text(key);
        if (raw === undefined) return fallback;
        const n = Number(raw.trim());
        if (raw.trim() === "" || !Number.isFinite(n) || n < min || n > max) {
            problems.push(
                `${key} must be a number from ${min} to ${max}, got "${escapeControl(raw)}": ${configSetCommand({ stack, key, value: String(fallback) })}`,
            );
            return fallback;
        }
        return n;
    };
    let baseUrl = CHECKLY_DEFAULT_BASE_URL;
    try {
        baseUrl = parseBaseUrl(
            text(CHECKLY_CONFIG_KEYS.baseUrl) ?? CHECKLY_DEFAULT_BASE_URL,
            CHECKLY_CONFIG_KEYS.baseUrl,
            CHECKLY_ORIGIN,
            stackSettingFix(stack),
        );
    } catch (error) {
        problems.push((error as Error).message);
    }
    let apiKey: string | undefined;
    try {
        const fromConfig = text(CHECKLY_CONFIG_KEYS.apiKey);
        const source = fromConfig !== undefined ? CHECKLY_CONFIG_KEYS.apiKey : CHECKLY_API_KEY_ENV;
        apiKey = cleanApiKey(
            fromConfig ?? (env[CHECKLY_API_KEY_ENV] || undefined),
            source,
            checklyKeyFix(stack, fromConfig !== undefined),
            "Checkly",
        );
    } catch (error) {
        problems.push((error as Error).message);
    }
    const accountId = (text(CHECKLY_CONFIG_KEYS.accountId) ?? (env[CHECKLY_ACCOUNT_ID_ENV] || undefined))?.trim() || undefined;
    if (accountId !== undefined && !CHECKLY_ACCOUNT_ID.test(accountId)) problems.push(accountIdProblem(accountId, stack));
    const onConflict = text(CHECKLY_CONFIG_KEYS.onConflict) ?? "fail";
    if (onConflict !== "fail" && onConflict !== "overwrite")
        problems.push(
            `${CHECKLY_CONFIG_KEYS.onConflict} must be "fail" or "overwrite", got "${escapeControl(onConflict)}": ${configSetCommand({ stack, key: CHECKLY_CONFIG_KEYS.onConflict, value: "fail" })}`,
        );
    const settings: ChecklySettings = {
        baseUrl,
        onConflict: onConflict === "overwrite" ? "overwrite" : "fail",
        claimManaged: false,
        stack,
        apiKey,
        accountId,
        requestTimeoutMs: number(CHECKLY_CONFIG_KEYS.requestTimeoutSeconds, CHECKLY_DEFAULTS.requestTimeoutMs / 1000, 0.1, 86_400) * 1000,
        maxRetries: Math.floor(number(CHECKLY_CONFIG_KEYS.maxRetries, CHECKLY_DEFAULTS.maxRetries, 0, 20)),
        maxRetryWaitMs: number(CHECKLY_CONFIG_KEYS.maxRetryWaitSeconds, CHECKLY_DEFAULTS.maxRetryWaitMs / 1000, 0, 86_400) * 1000,
        operationTimeoutMs:
            number(CHECKLY_CONFIG_KEYS.operationTimeoutSeconds, CHECKLY_DEFAULTS.operationTimeoutMs / 1000, 0.1, 86_400) * 1000,
    };
    if (problems.length > 0)
        throw new Error(`invalid Checkly provider configuration; nothing was sent to Checkly:\n  - ${problems.join("\n  - ")}`);
    return settings;
}
