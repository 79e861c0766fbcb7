// incident.io as Pulumi resources: the AlertRoute, AlertSource and AlertAttribute dynamic resources
// (on the shared core, providers/core) and the API client they run on.
export {
    ALERT_ROUTE_TYPE,
    AlertRoute,
    alertRouteProvider,
    type AlertRouteArgs,
    type AlertRouteInputs,
    type AlertRouteOutputs,
} from "./alertRoute";
export {
    ALERT_SOURCE_TYPE,
    AlertSource,
    alertSourceProvider,
    type AlertSourceArgs,
    type AlertSourceInputs,
    type AlertSourceOutputs,
} from "./alertSource";
export {
    ALERT_ATTRIBUTE_TYPE,
    AlertAttribute,
    alertAttributeProvider,
    type AlertAttributeArgs,
    type AlertAttributeInputs,
    type AlertAttributeOutputs,
} from "./alertAttribute";
export { canonicalSource, fromSourceResponse, pickSourceSpec, sourceChangedFields, SOURCE_READ_ONLY } from "./alertSourceModel";
export { fromAttributeResponse, pickAttributeSpec } from "./alertAttributeModel";
export { IncidentIoClient, type IncidentIoClientOptions, DEFAULT_BASE_URL } from "./client/client";
export { IncidentIoApiError } from "./client/errors";
export { parseBaseUrl, type ApiOrigin } from "./client/baseUrl";
export { cleanApiKey, secretForms } from "./client/apiKey";
export type { RetryPolicy } from "./client/retry";
export { canonical, changedFields, fromResponse, toPayload, withDefaults } from "./model";
export { API_KEY_ENV, CONFIG_KEYS, readSettings, type ProviderSettings } from "./settings";
export { INCIDENT_IO_ID, containsUnknown, isUnknown } from "./validate";
export * from "./types";
export {
    apiKeysPage,
    canWrite,
    keyProblem,
    printableName,
    READ_ROLE,
    SCOPE_WORDS,
    WRITE_ROLE,
    type KeyIdentity,
    type KeyNeed,
} from "./identity";
