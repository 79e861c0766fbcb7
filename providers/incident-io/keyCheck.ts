// incident.io's key check for the shared core (providers/core KeyCheck): GET /v1/identity once per
// process (identity.ts holds the cache and the rules), before the first write of `pulumi up`; during
// a preview only a note, since a preview needs only "View data".
import type { KeyCheck } from "../core";
import { pulumiCommand, secretKeyFix } from "../core/shell";
import type { IncidentIoClient } from "./client/client";
import { firstNote, identityOnce, keyProblem, readOnlyWarning } from "./identity";
import { API_KEY_ENV, type ProviderSettings } from "./settings";

/** The key the client sends: from the stack's secret config, else the environment (as backend.ts reads it). */
const keyOf = (settings: ProviderSettings) => settings.apiKey ?? process.env[API_KEY_ENV] ?? "";

export const incidentIoKeyCheck: KeyCheck<ProviderSettings, IncidentIoClient> = {
    async beforeWrite(client, settings, stack) {
        const key = keyOf(settings);
        // No key: the client refuses the request itself, saying how to set one.
        if (!key) return;
        let problem: string | undefined;
        try {
            problem = keyProblem(await identityOnce(settings.baseUrl, key, () => client.getIdentity()), "write");
        } catch (error) {
            throw new Error(
                `could not check the incident.io API key before writing (GET /v1/identity): ${(error as Error).message}. Nothing was written; run \`${pulumiCommand("up", stack)}\` again.`,
            );
        }
        if (problem) {
            // The stack's key wins over the environment's: when it is the one in use, only it can be replaced.
            const set = secretKeyFix({
                stack,
                key: "incident-io:apiKey",
                env: API_KEY_ENV,
                fromConfig: settings.apiKeyFromConfig === true,
            });
            throw new Error(
                `${problem}. Nothing was written. Then give the stack that key: ${set}; and run \`${pulumiCommand("up", stack)}\` again.`,
            );
        }
    },

    async previewNote(client, settings) {
        const key = keyOf(settings);
        if (!key) return undefined;
        try {
            const identity = await identityOnce(settings.baseUrl, key, () => client.getIdentity());
            const note = readOnlyWarning(identity);
            return note && firstNote(settings.baseUrl, key) ? note : undefined;
        } catch {
            // The preview's own requests report an unusable key or API; this is only a note.
            return undefined;
        }
    },
};
