// Checkly as Pulumi resources: the ChecklyAlertChannel dynamic resource (a webhook alert channel),
// its model, settings and client. Other folders import it through this file.
export * from "./types";
export {
    CHANNEL_DEFAULTS,
    canonical,
    changedFields,
    fromResponse,
    sameChannel,
    secretValues,
    toPayload,
    withDefaults,
    withoutSecretValues,
    writePayload,
} from "./model";
export { CHECKLY_CHANNEL_ID, validateChannel } from "./validate";
export {
    CHECKLY_ACCOUNT_ID,
    CHECKLY_ACCOUNT_ID_ENV,
    CHECKLY_API_KEY_ENV,
    CHECKLY_CONFIG_KEYS,
    CHECKLY_DEFAULT_BASE_URL,
    CHECKLY_ORIGIN,
    checklyCredentialProblems,
    checklySetCommand,
    readChecklySettings,
    type ChecklySettings,
} from "./settings";
export { AUTHORIZATION_HEADER, INCIDENT_IO_METHOD, INCIDENT_IO_TEMPLATE, INCIDENT_IO_WEBHOOK_TYPE, bearerHeaders } from "./incidentIo";
export {
    CHECKLY_ALERT_CHANNEL_TYPE,
    CHANNEL_SECRET_OUTPUTS,
    ChecklyAlertChannel,
    checklyAlertChannelProvider,
    type ChannelDefinition,
    type ChecklyAlertChannelArgs,
    type ChecklyAlertChannelInputs,
    type ChecklyAlertChannelOutputs,
} from "./alertChannel";
export { ChecklyApiError, ChecklyClient, type ChecklyClientOptions } from "./client";
