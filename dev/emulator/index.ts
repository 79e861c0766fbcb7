// incident.io API emulator for tests. See server.ts for the request lifecycle.
export { IncidentIoEmulator } from "./server";
export type { AlertSourceSeed } from "./state";
export type { AlertSourcePayload, AlertTemplatePayload } from "./sources";
export { reencode } from "./sources";
export type { AlertAttributeSeed, EscalationPathSeed } from "./catalogue";
export type {
    AlertRouteSlimV2,
    AlertRouteV2,
    AlertRoutesCreatePayloadV2,
    AlertRoutesUpdatePayloadV2,
    AlertSourceV2,
    CreatePayload,
    EmulatorOptions,
    Fault,
    FaultKind,
    ManagedResourcePayload,
    ManagedResourceV2,
    PendingRequest,
    RequestLogEntry,
    UpdatePayload,
} from "./types";
export { OPENAPI_PATH, loadSpec } from "./spec";
export { validateAgainstSpec, validatePayload, type ValidationProblem } from "./validation";
export { FUTURE_FIELDS } from "./normalise";
export { DEFAULT_IDENTITY, type EmulatedIdentity } from "./identity";
