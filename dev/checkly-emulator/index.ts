// Checkly alert-channel API emulator for tests. See server.ts for the request lifecycle.
export { ChecklyEmulator, checklyError, type ChecklyEmulatorOptions, type ChecklyFault, type ChecklyRequestLogEntry } from "./server";
export type { ChannelV1, KeyValueV1, SubscriptionV1 } from "./channels";
