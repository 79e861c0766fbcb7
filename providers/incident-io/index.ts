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
export {
    IncidentIoClient,
    type IncidentIoClientOptions,
    DEFAULT_BASE_URL,
    DEFAULT_CONNECT_TIMEOUT_MS,
    DEFAULT_MAX_RESPONSE_BYTES,
    processLimiter,
} from "./client/client";
export { ApiError, IncidentIoApiError, untrustedAnswer, type ApiErrorArgs, type ApiErrorDetail, type ServiceWords } from "./client/errors";
// The transport every API client of the project shares (incident.io's, Checkly's).
export { ApiTransport, type ServiceProfile } from "./client/transport";
export { DEFAULT_RETRY_POLICY } from "./client/retry";
export { parseBaseUrl, type ApiOrigin } from "./client/baseUrl";
export { cleanApiKey, secretForms } from "./client/apiKey";
export { stackSettingFix, type SettingFix } from "./client/settingFix";
export type { RetryPolicy } from "./client/retry";
export { canonical, changedFields, fromResponse, sameRoute, toPayload, withDefaults } from "./model";
export { OPERATION_ALIASES } from "./model"; // stack/coverage reads the server's operation names
export { API_KEY_ENV, CONFIG_KEYS, readSettings, type ProviderSettings } from "./settings";
export { ID_EXAMPLE, INCIDENT_IO_ID, idProblem, unusualId } from "./ids";
export { containsUnknown, isUnknown, validateRoute } from "./validate";
export {
    SAFE_ID,
    configGetCommand,
    configRmCommand,
    configSetCommand,
    describeValue,
    escapeControl,
    exportSecretCommand,
    isSafeId,
    pulumiCommand,
    secretKeyFix,
    secretKeyLine,
    shellQuote,
} from "../core/shell";
export { SAME_NAME_LEVELS, type SameNameLevel } from "../core/sameName";
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
export { isApiNotYetAvailable, v3ResetsOf, type AlertRouteV3View } from "./v3";
