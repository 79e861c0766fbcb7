// The provider's configuration, from the stack config that Pulumi hands to `configure` (keys keep
// their namespace) with environment fallbacks. Pure: tested with plain tables.
import { API_KEY_CONFIG, API_KEY_ENV, cleanApiKey } from "./client/apiKey";
import { DEFAULT_BASE_URL, parseBaseUrl } from "./client/baseUrl";
import {
    DEFAULT_LIMITS,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRY_WAIT_MS,
    DEFAULT_OPERATION_TIMEOUT_MS,
    DEFAULT_REQUEST_TIMEOUT_MS,
} from "./client/client";
import { DEFAULT_RETRY_POLICY } from "./client/retry";
import { stackSettingFix } from "./client/settingFix";
import { escapeControl } from "../core/shell";

export { API_KEY_ENV } from "./client/apiKey";

export interface ProviderSettings {
    baseUrl: string;
    /** Read at call time from here or INCIDENT_IO_TOKEN; never serialized. */
    apiKey?: string;
    /** Whether `apiKey` is the stack's (`incident-io:apiKey`, which wins over the environment): a message then says
     * only how to replace that one. */
    apiKeyFromConfig?: boolean;
    /** What `update` does when the route changed outside Pulumi since the last up or refresh. */
    onConflict: "fail" | "overwrite";
    /** Claim routes as managed by code (POST /v2/managed_resources) on create and adoption; the outputs record it. */
    claimManaged: boolean;
    requestTimeoutMs: number;
    maxRetries: number;
    requestsPerMinute: number;
    maxConcurrency: number;
    /** The longest wait a 429 may ask for before the operation fails instead. */
    maxRetryWaitMs: number;
    /** One API request's whole life: attempts, waits and time queued in the limiter. */
    operationTimeoutMs: number;
    /** Answers longer than this are an error, read no further. */
    maxResponseBytes: number;
}

export const CONFIG_KEYS = {
    apiKey: "incident-io:apiKey",
    baseUrl: "incident-io:baseUrl",
    onConflict: "incident-io:onConflict",
    claimManaged: "incident-io:claimManaged",
    requestTimeoutSeconds: "incident-io:requestTimeoutSeconds",
    maxRetries: "incident-io:maxRetries",
    requestsPerMinute: "incident-io:requestsPerMinute",
    maxConcurrency: "incident-io:maxConcurrency",
    maxRetryWaitSeconds: "incident-io:maxRetryWaitSeconds",
    operationTimeoutSeconds: "incident-io:operationTimeoutSeconds",
    maxResponseMegabytes: "incident-io:maxResponseMegabytes",
} as const;

/** A day: far inside what a Node timer can hold (24.8 days), far beyond any sensible wait. */
const MAX_SECONDS = 86_400;

/** Reads settings; throws one error naming every bad key and how to fix it. */
export function readSettings(
    get: (key: string) => string | undefined,
    env: NodeJS.ProcessEnv = process.env,
    /** The stack the settings belong to, named in every fix command (`<stack>` when unknown). */
    stack?: string,
): ProviderSettings {
    const problems: string[] = [];
    const fixes = stackSettingFix(stack);
    const text = (key: string) => {
        const v = get(key);
        return v === undefined || v === "" ? undefined : String(v);
    };
    const number = (key: string, fallback: number, min: number, max = Infinity) => {
        const raw = text(key);
        if (raw === undefined) return fallback;
        const n = Number(raw.trim());
        if (raw.trim() === "" || !Number.isFinite(n) || n < min || n > max) {
            const range = max === Infinity ? `≥ ${min}` : `from ${min} to ${max}`;
            problems.push(`${key} must be a number ${range}, got "${escapeControl(raw)}": ${fixes.set(key, String(fallback))}`);
            return fallback;
        }
        return n;
    };

    let baseUrl = DEFAULT_BASE_URL;
    try {
        baseUrl = parseBaseUrl(text(CONFIG_KEYS.baseUrl) ?? DEFAULT_BASE_URL, CONFIG_KEYS.baseUrl, undefined, fixes);
    } catch (error) {
        problems.push((error as Error).message);
    }

    // Cleaned where it is read: trimmed, and refused (without repeating it) if a control character is left.
    const keyInConfig = text(CONFIG_KEYS.apiKey);
    const apiKey = (() => {
        const [raw, source] = keyInConfig !== undefined ? [keyInConfig, API_KEY_CONFIG] : [env[API_KEY_ENV] || undefined, API_KEY_ENV];
        try {
            return cleanApiKey(raw, source, fixes.setSecret(API_KEY_CONFIG, API_KEY_ENV, keyInConfig !== undefined));
        } catch (error) {
            problems.push((error as Error).message);
            return undefined;
        }
    })();

    const onConflict = text(CONFIG_KEYS.onConflict) ?? "fail";
    if (onConflict !== "fail" && onConflict !== "overwrite") {
        problems.push(
            `${CONFIG_KEYS.onConflict} must be "fail" or "overwrite", got "${escapeControl(onConflict)}": ${fixes.set(CONFIG_KEYS.onConflict, "fail")}`,
        );
    }

    const claim = text(CONFIG_KEYS.claimManaged) ?? "true";
    if (claim !== "true" && claim !== "false")
        problems.push(
            `${CONFIG_KEYS.claimManaged} must be true or false, got "${escapeControl(claim)}": ${fixes.set(CONFIG_KEYS.claimManaged, "true")}`,
        );

    const settings: ProviderSettings = {
        baseUrl,
        apiKey,
        apiKeyFromConfig: keyInConfig !== undefined,
        onConflict: onConflict === "overwrite" ? "overwrite" : "fail",
        claimManaged: claim !== "false",
        requestTimeoutMs: number(CONFIG_KEYS.requestTimeoutSeconds, DEFAULT_REQUEST_TIMEOUT_MS / 1000, 0.1, MAX_SECONDS) * 1000,
        maxRetries: Math.floor(number(CONFIG_KEYS.maxRetries, DEFAULT_RETRY_POLICY.maxRetries, 0)),
        requestsPerMinute: number(CONFIG_KEYS.requestsPerMinute, DEFAULT_LIMITS.requestsPerMinute, 1),
        maxConcurrency: Math.floor(number(CONFIG_KEYS.maxConcurrency, DEFAULT_LIMITS.maxConcurrency, 1)),
        maxRetryWaitMs: number(CONFIG_KEYS.maxRetryWaitSeconds, DEFAULT_MAX_RETRY_WAIT_MS / 1000, 0, MAX_SECONDS) * 1000,
        operationTimeoutMs: number(CONFIG_KEYS.operationTimeoutSeconds, DEFAULT_OPERATION_TIMEOUT_MS / 1000, 0.1, MAX_SECONDS) * 1000,
        maxResponseBytes: Math.floor(
            number(CONFIG_KEYS.maxResponseMegabytes, DEFAULT_MAX_RESPONSE_BYTES / 1024 / 1024, 0.001, 1024) * 1024 * 1024,
        ),
    };
    if (problems.length > 0) throw new Error(`invalid incident.io provider configuration:\n  - ${problems.join("\n  - ")}`);
    return settings;
}
