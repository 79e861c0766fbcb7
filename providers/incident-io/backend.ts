// incident.io as a backend of the shared core (providers/core): its settings, its client (one
// process-wide limiter), and which of its failures mean "gone", "version refused", "maybe applied".
import type { Backend } from "../core";
import { IncidentIoClient, processLimiter } from "./client/client";
import { IncidentIoApiError } from "./client/errors";
import { DEFAULT_RETRY_POLICY } from "./client/retry";
import { stackSettingFix } from "./client/settingFix";
import { incidentIoKeyCheck } from "./keyCheck";
import { API_KEY_ENV, CONFIG_KEYS, readSettings, type ProviderSettings } from "./settings";

export const incidentIoBackend: Backend<ProviderSettings, IncidentIoClient> = {
    product: "incident.io",
    configKeys: { onConflict: CONFIG_KEYS.onConflict, claimManaged: CONFIG_KEYS.claimManaged },
    readSettings: (get, stack) => readSettings(get, process.env, stack),
    createClient: (settings, log, stack) =>
        new IncidentIoClient({
            baseUrl: settings.baseUrl,
            // Read at call time: from the stack's secret config, else the environment. The client
            // refuses an empty key with the message that says how to set it.
            apiKey: () => settings.apiKey ?? process.env[API_KEY_ENV] ?? "",
            limiter: processLimiter({ requestsPerMinute: settings.requestsPerMinute, maxConcurrency: settings.maxConcurrency }),
            retry: { ...DEFAULT_RETRY_POLICY, maxRetries: settings.maxRetries },
            requestTimeoutMs: settings.requestTimeoutMs,
            maxRetryWaitMs: settings.maxRetryWaitMs,
            operationTimeoutMs: settings.operationTimeoutMs,
            maxResponseBytes: settings.maxResponseBytes,
            log,
            fixes: stackSettingFix(stack),
        }),
    // Only the API's own not_found envelope means gone (errors.ts isNotFound); anything that is not
    // an IncidentIoApiError (a bug, a bad setting) is passed on untouched.
    failure: (error) =>
        error instanceof IncidentIoApiError
            ? {
                  notFound: error.isNotFound,
                  versionRejected: error.isVersionRejected,
                  maybeApplied: error.maybeApplied,
                  requestId: error.requestId,
              }
            : undefined,
    // GET /v1/identity once per process, before the first write (keyCheck.ts).
    keyCheck: incidentIoKeyCheck,
};
