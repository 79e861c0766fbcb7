// The AlertAttribute provider's handlers: the shared core with what is the attribute's own.
// Not claimed: the managed-resource API takes no alert_attribute (openapi
// ManagedResourcesCreateManagedResourcePayloadV2.resource_type's enum).
import { ResourceHandlers, type ResourceKind } from "../core";
import type { AlertAttributeInputs, AlertAttributeOutputs } from "./alertAttribute";
import { attributeChangedFields, fromAttributeResponse, pickAttributeSpec, sameAttribute } from "./alertAttributeModel";
import { incidentIoBackend } from "./backend";
import type { IncidentIoClient } from "./client/client";
import type { ProviderSettings } from "./settings";
import type { AlertAttributeResponse, AlertAttributeSpec } from "./types";
import { validateAttribute } from "./validateSource";

export const alertAttributeKind: ResourceKind<AlertAttributeSpec, AlertAttributeResponse, IncidentIoClient> = {
    words: {
        noun: "alert attribute",
        short: "attribute",
        dashboard: "Alerts → Attributes",
        listIds: "`npm run discover-config`",
        adoptConfig: "`alert-routing:alertAttributes.<key>`",
    },
    parse: (raw) => raw,
    validate: (payload, adoptId) => validateAttribute({ ...payload, ...(adoptId === undefined ? {} : { adoptId }) }),
    complete: (payload) => pickAttributeSpec(payload),
    pickSpec: pickAttributeSpec,
    fromResponse: fromAttributeResponse,
    same: sameAttribute,
    changedFields: attributeChangedFields,
    liveField: "attribute",
    get: (client, id) => client.getAlertAttribute(id),
    create: (client, spec) => client.createAlertAttribute(spec),
    update: (client, id, spec) => client.updateAlertAttribute(id, spec),
    remove: (client, id) => client.deleteAlertAttribute(id),
    idsNamed: async (client, name) => (await client.listAlertAttributes()).filter((a) => a.name === name).map((a) => a.id),
};

export class AlertAttributeHandlers extends ResourceHandlers<
    AlertAttributeSpec,
    AlertAttributeResponse,
    AlertAttributeInputs,
    AlertAttributeOutputs,
    IncidentIoClient,
    ProviderSettings
> {
    constructor(log?: (line: string) => void) {
        super(alertAttributeKind, incidentIoBackend, log);
    }
}

/** Loaded by the shim in alertAttribute.ts: keep the export name. */
export const alertAttributeHandlers = new AlertAttributeHandlers();
