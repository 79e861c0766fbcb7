// incident.io as Pulumi resources: the AlertRoute dynamic resource and the API client it runs on.
export { AlertRoute, type AlertRouteArgs, type AlertRouteInputs, type AlertRouteOutputs } from "./alertRoute";
export { IncidentIoClient, type IncidentIoClientOptions, DEFAULT_BASE_URL } from "./client/client";
export { IncidentIoApiError } from "./client/errors";
export { canonical, fromResponse, toPayload, withDefaults } from "./model";
export * from "./types";
