// The AlertSource provider's handlers: the shared core (providers/core) with what is the source's
// own. A source is adopted, never replaced: deleting and re-creating one gives it a new id, URL and
// token (and email address), which breaks every sender; so `source_type`, which no update can
// change, is refused at preview instead of forcing a replacement.
import { pulumiCommand, ResourceHandlers, stableJson, type CheckFailure, type ResourceKind } from "../core";
import type { AlertSourceInputs, AlertSourceOutputs } from "./alertSource";
import {
    canonicalSource,
    fromSourceResponse,
    pickSourceSpec,
    sameSource,
    sourceChangedFields,
    sourceToPayload,
    withSourceDefaults,
} from "./alertSourceModel";
import { incidentIoBackend } from "./backend";
import type { IncidentIoClient } from "./client/client";
import { IncidentIoApiError } from "./client/errors";
import type { ProviderSettings } from "./settings";
import type { AlertSourceResponse, AlertSourceSpec } from "./types";
import { validateSource } from "./validateSource";

const NEVER_REPLACED =
    "Replacing a source would give it a new id, alert events URL and secret token, and every sender would break, so it is never done as code.";

export const alertSourceKind: ResourceKind<AlertSourceSpec, AlertSourceResponse, IncidentIoClient> = {
    words: {
        noun: "alert source",
        short: "source",
        dashboard: "Alerts → Sources",
        listIds: "`npm run discover-config`",
        adoptConfig: "`alert-routing:alertSources.<key>`",
    },
    parse: sourceToPayload,
    // validateSource refuses a pasted secret_token; it never goes back to the engine.
    secretInputs: ["secret_token"],
    validate: (payload, adoptId) => validateSource({ ...payload, ...(adoptId === undefined ? {} : { adoptId }) }),
    complete: (payload) => withSourceDefaults(pickSourceSpec(payload)),
    pickSpec: pickSourceSpec,
    fromResponse: fromSourceResponse,
    same: sameSource,
    changedFields: sourceChangedFields,
    liveField: "source",
    // secret_token: the AlertSource class lists it in additionalSecretOutputs, so the engine wraps it.
    extraOutputs: (remote) => ({
        secret_token: remote.secret_token,
        alert_events_url: remote.alert_events_url,
        email_address: remote.email_options?.email_address,
    }),
    get: (client, id) => client.getAlertSource(id),
    create: (client, spec) => client.createAlertSource(spec),
    update: (client, id, spec) => client.updateAlertSource(id, spec),
    remove: (client, id) => client.deleteAlertSource(id),
    idsNamed: async (client, name) => (await client.listAlertSources()).filter((s) => s.name === name).map((s) => s.id),
    claim: (client, id, annotations) => client.claimManaged("alert_source", id, annotations),
    adoptionProblem: (spec, live) =>
        live.source_type === spec.source_type
            ? undefined
            : { property: "source_type", reason: typeChange(spec.name, live.id, live.source_type, spec.source_type) },
    // Check's `olds` are the inputs last applied (or refreshed): the stack's view of the source.
    checkChange: async ({ olds, live, spec, client, log }) => {
        const before = olds ? pickSourceSpec(olds) : live ? fromSourceResponse(live) : undefined;
        // No request: the type is refused from the state alone.
        if (olds && before?.source_type !== undefined && before.source_type !== spec.source_type) {
            return [{ property: "source_type", reason: typeChange(spec.name, "in the stack", before.source_type, spec.source_type) }];
        }
        const templateChanges =
            before?.template === undefined ||
            stableJson(canonicalSource({ ...spec, template: before.template }).template) !== stableJson(canonicalSource(spec).template);
        return templateChanges ? validateTemplate(client(), spec, log) : [];
    },
};

function typeChange(name: string, where: string, from: string, to: string): string {
    return (
        `alert source "${name}" (${where}) is of type "${from}", and this definition says "${to}": incident.io cannot change a source's type (the update payload has no source_type). ` +
        `${NEVER_REPLACED} Nothing was sent. Set source_type back to "${from}"; for a ${to} source, define a new AlertSource beside this one and move the senders and routes to it.`
    );
}

/** Runs incident.io's own template check during preview (terraform-provider-incident v6.1.2, #452:
 * the template checked at plan time, a soft warning when the check cannot run). Its 422 fails the
 * preview; anything else is a warning, as the check is an aid and `up` would report the same error. */
async function validateTemplate(client: IncidentIoClient, spec: AlertSourceSpec, log: (line: string) => void): Promise<CheckFailure[]> {
    try {
        await client.validateAlertSource({
            source_type: spec.source_type,
            template: spec.template,
            ...(spec.owning_team_ids?.length ? { owning_team_ids: spec.owning_team_ids } : {}),
        });
        return [];
    } catch (error) {
        if (error instanceof IncidentIoApiError && error.status === 422) {
            const details = error.errors
                .map((e) => `${e.source?.field ? `${e.source.field}: ` : ""}${e.message ?? e.code ?? ""}`)
                .join("; ");
            return [
                {
                    property: "template",
                    reason: `incident.io refuses the template of alert source "${spec.name}": ${details || error.message}. Nothing was written; fix the template and run \`${pulumiCommand("preview", undefined)}\` again.`,
                },
            ];
        }
        log(
            `incident.io: warning: could not check the template of alert source "${spec.name}" during preview (${(error as Error).message}); \`pulumi up\` will report any problem with it.`,
        );
        return [];
    }
}

export class AlertSourceHandlers extends ResourceHandlers<
    AlertSourceSpec,
    AlertSourceResponse,
    AlertSourceInputs,
    AlertSourceOutputs,
    IncidentIoClient,
    ProviderSettings
> {
    constructor(log?: (line: string) => void) {
        super(alertSourceKind, incidentIoBackend, log);
    }
}

/** Loaded by the shim in alertSource.ts: keep the export name. */
export const alertSourceHandlers = new AlertSourceHandlers();
