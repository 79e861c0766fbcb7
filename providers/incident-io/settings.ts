// The provider's configuration, from the stack config that Pulumi hands to `configure` (keys keep
// their namespace) with environment fallbacks. Pure: tested with plain tables.
import { DEFAULT_BASE_URL } from "./client/client";

export interface ProviderSettings {
    baseUrl: string;
    /** Read at call time from here or INCIDENT_IO_TOKEN; never serialized. */
    apiKey?: string;
    /** What `update` does when the route changed outside Pulumi since the last up or refresh. */
    onConflict: "fail" | "overwrite";
    /** Claim routes as managed by code (POST /v2/managed_resources) on create and adoption; the outputs record it. */
    claimManaged: boolean;
    requestTimeoutMs: number;
    maxRetries: number;
    requestsPerMinute: number;
    maxConcurrency: number;
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
} as const;

export const API_KEY_ENV = "INCIDENT_IO_TOKEN";

/** Reads settings; throws one error naming every bad key and how to fix it. */
export function readSettings(get: (key: string) => string | undefined, env: NodeJS.ProcessEnv = process.env): ProviderSettings {
    const problems: string[] = [];
    const text = (key: string) => {
        const v = get(key);
        return v === undefined || v === "" ? undefined : String(v);
    };
    const number = (key: string, fallback: number, min: number) => {
        const raw = text(key);
        if (raw === undefined) return fallback;
        const n = Number(raw);
        if (!Number.isFinite(n) || n < min) {
            problems.push(`${key} must be a number ≥ ${min}, got "${raw}": pulumi config set ${key} ${fallback}`);
            return fallback;
        }
        return n;
    };

    const baseUrl = text(CONFIG_KEYS.baseUrl) ?? DEFAULT_BASE_URL;
    if (!/^https?:\/\/[^\s/]+/.test(baseUrl)) problems.push(`${CONFIG_KEYS.baseUrl} must be a URL such as ${DEFAULT_BASE_URL}, got "${baseUrl}"`);

    const onConflict = text(CONFIG_KEYS.onConflict) ?? "fail";
    if (onConflict !== "fail" && onConflict !== "overwrite") {
        problems.push(`${CONFIG_KEYS.onConflict} must be "fail" or "overwrite", got "${onConflict}"`);
    }

    const claim = text(CONFIG_KEYS.claimManaged) ?? "true";
    if (claim !== "true" && claim !== "false") problems.push(`${CONFIG_KEYS.claimManaged} must be true or false, got "${claim}"`);

    const settings: ProviderSettings = {
        baseUrl,
        apiKey: text(CONFIG_KEYS.apiKey) ?? (env[API_KEY_ENV] || undefined),
        onConflict: onConflict === "overwrite" ? "overwrite" : "fail",
        claimManaged: claim !== "false",
        requestTimeoutMs: number(CONFIG_KEYS.requestTimeoutSeconds, 30, 0.1) * 1000,
        maxRetries: Math.floor(number(CONFIG_KEYS.maxRetries, 5, 0)),
        requestsPerMinute: number(CONFIG_KEYS.requestsPerMinute, 1200, 1),
        maxConcurrency: Math.floor(number(CONFIG_KEYS.maxConcurrency, 8, 1)),
    };
    if (problems.length > 0) throw new Error(`invalid incident.io provider configuration:\n  - ${problems.join("\n  - ")}`);
    return settings;
}
