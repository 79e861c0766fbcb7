// Checkly as a backend of the shared core (providers/core): its settings, its client (one
// process-wide limiter for Checkly's keys), and which of its failures mean "gone" or "maybe applied".
import type { Backend } from "../core";
import { ChecklyApiError, ChecklyClient } from "./client";
import { CHECKLY_ACCOUNT_ID_ENV, CHECKLY_API_KEY_ENV, CHECKLY_CONFIG_KEYS, readChecklySettings, type ChecklySettings } from "./settings";

export const checklyBackend: Backend<ChecklySettings, ChecklyClient> = {
    product: "Checkly",
    // Checkly has no claim; the key is named only because the core's type asks for one.
    configKeys: { onConflict: CHECKLY_CONFIG_KEYS.onConflict, claimManaged: "checkly:claimManaged" },
    readSettings: (get, stack) => readChecklySettings(get, process.env, stack),
    createClient: (settings, log, stack) =>
        new ChecklyClient({
            baseUrl: settings.baseUrl,
            stack: stack ?? settings.stack,
            // Read at call time: the stack's secret config, else the environment. The client refuses
            // a missing key or account with the commands that set them, before any request.
            apiKey: () => settings.apiKey ?? process.env[CHECKLY_API_KEY_ENV],
            accountId: () => settings.accountId ?? process.env[CHECKLY_ACCOUNT_ID_ENV],
            retry: { maxRetries: settings.maxRetries },
            requestTimeoutMs: settings.requestTimeoutMs,
            maxRetryWaitMs: settings.maxRetryWaitMs,
            operationTimeoutMs: settings.operationTimeoutMs,
            log,
        }),
    // Only Checkly's own 404 means gone (client.ts CHECKLY_WORDS); Checkly has no versions.
    failure: (error) =>
        error instanceof ChecklyApiError
            ? { notFound: error.isNotFound, versionRejected: false, maybeApplied: error.maybeApplied }
            : undefined,
};
