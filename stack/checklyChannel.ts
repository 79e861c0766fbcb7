// Each stack's Checkly alert channel: the webhook that carries Checkly's alerts to the stack's
// incident.io Checkly source. The URL and the Authorization header come from that source, so a
// re-created source (new URL, new token) reaches Checkly with the next `pulumi up`.
import * as pulumi from "@pulumi/pulumi";

import {
    bearerHeaders,
    ChecklyAlertChannel,
    INCIDENT_IO_METHOD,
    INCIDENT_IO_TEMPLATE,
    INCIDENT_IO_WEBHOOK_TYPE,
    type ChecklyAlertChannelArgs,
} from "../providers/checkly";
import type { AlertSource } from "../providers/incident-io";
import { alertSourceToken, alertSourceUrl, CHECKLY_USE } from "./alertSourceToken";
import type { Environment } from "./routes";

/** The channel's name in Checkly: the one each stack adopts from the UI. */
export const CHECKLY_CHANNEL_NAMES: Record<Environment, string> = {
    production: "incident.io (Production)",
    staging: "incident.io (Staging)",
};

/** What alerts each channel sends, as the live channels have them. */
export const CHECKLY_CHANNEL_ALERTS: Record<Environment, Pick<ChecklyAlertChannelArgs, "sendFailure" | "sendRecovery" | "sendDegraded">> = {
    production: { sendFailure: true, sendRecovery: true, sendDegraded: false },
    staging: { sendFailure: true, sendRecovery: true, sendDegraded: false },
};

/** Where the channel posts: the incident.io Checkly source's alert_events_url and secret_token (a secret). */
export interface ChecklySourceEndpoint {
    url: pulumi.Input<string>;
    token: pulumi.Input<string>;
}

/** The channel's arguments for a stack. Subscriptions are left out on purpose: Checkly's are kept. */
export function checklyChannelArgs(environment: Environment, source: ChecklySourceEndpoint, adoptId?: string): ChecklyAlertChannelArgs {
    const token = source.token;
    return {
        type: "WEBHOOK",
        config: {
            name: CHECKLY_CHANNEL_NAMES[environment],
            url: source.url,
            method: INCIDENT_IO_METHOD,
            template: INCIDENT_IO_TEMPLATE,
            webhookType: INCIDENT_IO_WEBHOOK_TYPE,
            // A token not known yet (an Output, a secret) keeps the header inside it.
            headers: typeof token === "string" ? bearerHeaders(token) : pulumi.output(token).apply(bearerHeaders),
            queryParameters: [],
        },
        ...CHECKLY_CHANNEL_ALERTS[environment],
        sslExpiry: false,
        sslExpiryThreshold: 30,
        autoSubscribe: false,
        ...(adoptId ? { adoptId, adoptIdConfigKey: "alert-routing:adopt.checklyChannel" } : {}),
    };
}

/**
 * The stack's Checkly channel: it posts to the stack's Checkly source, the source resource's alert_events_url and its
 * secret_token as `Authorization: Bearer <token>` (a secret end to end). A re-created source (new URL, new token)
 * reaches Checkly with the same `pulumi up`, in one PUT.
 */
export function stackChecklyChannel(
    environment: Environment,
    checklySource: AlertSource,
    adoptId: string | undefined,
    opts: { protect: boolean },
): ChecklyAlertChannel {
    const source = { source: checklySource, stack: environment, use: CHECKLY_USE };
    return new ChecklyAlertChannel(
        "checkly-channel",
        checklyChannelArgs(environment, { url: alertSourceUrl(source), token: alertSourceToken(source) }, adoptId),
        opts,
    );
}
