// Checkly's shapes for a webhook alert channel: what a client sends and what the API answers.
// Evidence: checkly/checkly-go-sdk types.go (AlertChannel, AlertChannelWebhook, KeyValue,
// AlertChannelSubscription), checkly/checkly-cli packages/cli/src/rest/alert-channels.ts (the
// answer: subscriptions, autoSubscribe, created_at/updated_at) and
// packages/cli/src/constructs/webhook-alert-channel.ts (the payload), and Checkly's API reference
// (PUT /v1/alert-channels/{id}: the example body carries `subscriptions`).

/** A header or query parameter. `locked` hides the value in Checkly's UI (go-sdk KeyValue). */
export interface ChecklyKeyValue {
    key: string;
    value: string;
    locked: boolean;
}

/** One check or group subscribed to the channel: exactly one of checkId (a uuid) or groupId (a number). */
export interface ChecklySubscription {
    checkId?: string | null;
    groupId?: number | null;
    activated: boolean;
}

/** The `config` of a channel of type WEBHOOK (go-sdk AlertChannelWebhook). */
export interface ChecklyWebhookConfig {
    name: string;
    url: string;
    /** GET, POST, PUT, PATCH, HEAD or DELETE (checkly-cli webhook-alert-channel.ts). */
    method: string;
    template?: string;
    /** e.g. WEBHOOK_INCIDENTIO (checkly-cli incidentio-alert-channel.ts); absent for a plain webhook. */
    webhookType?: string;
    /** Checkly answers null when none is set (checkly-cli webhook-alert-channel-codegen.ts: `string | null`). */
    webhookSecret?: string | null;
    headers: ChecklyKeyValue[];
    queryParameters: ChecklyKeyValue[];
}

/** The create (and update) payload of a webhook channel, as this project sends it. */
export interface ChecklyAlertChannelSpec {
    type: "WEBHOOK";
    config: ChecklyWebhookConfig;
    sendRecovery: boolean;
    sendFailure: boolean;
    sendDegraded: boolean;
    sslExpiry: boolean;
    /** Days before expiry, 1 to 30 (terraform-provider-checkly resource_alert_channel.go). */
    sslExpiryThreshold: number;
    autoSubscribe: boolean;
    /** Absent: whatever Checkly holds is kept (read and sent back). Present: exactly these. */
    subscriptions?: ChecklySubscription[];
}

/** A subscription as Checkly answers it: its own id, and names beside the ids (checkly-cli rest/alert-channels.ts). */
export interface ChecklySubscriptionResponse {
    id?: number | string;
    checkId?: string | null;
    groupId?: number | null;
    activated?: boolean;
    [extra: string]: unknown;
}

/** GET /v1/alert-channels/{id}: the channel with Checkly's id, its subscriptions and timestamps. */
export interface ChecklyAlertChannelResponse {
    id: number;
    type: string;
    config: Partial<ChecklyWebhookConfig> & Record<string, unknown>;
    subscriptions?: ChecklySubscriptionResponse[];
    sendRecovery?: boolean;
    sendFailure?: boolean;
    sendDegraded?: boolean;
    sslExpiry?: boolean;
    sslExpiryThreshold?: number;
    autoSubscribe?: boolean;
    created_at?: string;
    updated_at?: string | null;
    [extra: string]: unknown;
}
