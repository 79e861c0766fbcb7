import * as pulumi from "@pulumi/pulumi";
import { handlersShim, type DefinitionInputs } from "../core";
import type { ChecklyAlertChannelSpec, ChecklyKeyValue, ChecklySubscription } from "./types";

/**
 * The arguments of a Checkly webhook alert channel: Checkly's create payload field for field
 * (camelCase as Checkly names them), plus `adoptId`. `config.headers` holds credentials (an
 * incident.io channel's `Authorization: Bearer <token>`): pass them as secrets.
 */
export interface ChecklyAlertChannelArgs {
    /** Only "WEBHOOK": this resource manages webhook channels. */
    type: pulumi.Input<"WEBHOOK">;
    config: pulumi.Input<{
        name: pulumi.Input<string>;
        url: pulumi.Input<string>;
        /** default POST */
        method?: pulumi.Input<string>;
        template?: pulumi.Input<string>;
        webhookType?: pulumi.Input<string>;
        webhookSecret?: pulumi.Input<string>;
        /** default [] */
        headers?: pulumi.Input<pulumi.Input<pulumi.Inputs & ChecklyKeyValue>[]>;
        /** default [] */
        queryParameters?: pulumi.Input<pulumi.Input<ChecklyKeyValue>[]>;
    }>;
    /** default true */
    sendRecovery?: pulumi.Input<boolean>;
    /** default true */
    sendFailure?: pulumi.Input<boolean>;
    /** default false */
    sendDegraded?: pulumi.Input<boolean>;
    /** default false */
    sslExpiry?: pulumi.Input<boolean>;
    /** default 30 (days, 1 to 30) */
    sslExpiryThreshold?: pulumi.Input<number>;
    /** default false */
    autoSubscribe?: pulumi.Input<boolean>;
    /** Leave out to keep the checks and groups subscribed in Checkly (read and sent back on every
     * update); list them to own them ([] unsubscribes everything). */
    subscriptions?: pulumi.Input<pulumi.Input<ChecklySubscription>[]>;
    /** The id of a live channel to take under management instead of creating one (read only on create). */
    adoptId?: pulumi.Input<string>;
    /** With adoptId: take it even though its name differs (adoption renames it). Default false. */
    adoptRenaming?: pulumi.Input<boolean>;
    /** Where adoptId comes from (`alert-routing:adopt.checklyChannel`), named in adoption errors. */
    adoptIdConfigKey?: pulumi.Input<string>;
}

/** The payload with defaults filled, and `name` (= config.name) for the core's adoption check. */
export type ChannelDefinition = ChecklyAlertChannelSpec & { name: string };
export type ChecklyAlertChannelInputs = DefinitionInputs<ChannelDefinition>;
/** Every input, and the channel as Checkly holds it (subscriptions included): a restorable backup, secret. */
export type ChecklyAlertChannelOutputs = ChecklyAlertChannelInputs & { channel: ChannelDefinition; claimed?: Record<string, string> };

const MODULE = "checkly";
const NAME = "AlertChannel";
/** Every channel's type in the state; changing it orphans them (pinned in test/provider/checklyAlertChannel.test.ts). */
export const CHECKLY_ALERT_CHANNEL_TYPE = `pulumi-nodejs:dynamic/${MODULE}:${NAME}`;

/** The outputs that carry the channel's headers: secret whatever the program passed. */
export const CHANNEL_SECRET_OUTPUTS = ["config", "channel"];

/**
 * A Checkly webhook alert channel. Every change is an in-place PUT of the whole channel (its
 * subscriptions sent back unless listed); nothing forces a replacement.
 */
export class ChecklyAlertChannel extends pulumi.dynamic.Resource {
    /** The channel as Checkly holds it, normalised to the payload (subscriptions included). Secret: its headers hold the token. */
    declare public readonly channel: pulumi.Output<ChannelDefinition>;
    declare public readonly name: pulumi.Output<string>;

    constructor(name: string, args: ChecklyAlertChannelArgs, opts?: pulumi.CustomResourceOptions) {
        const owner = { pulumiProject: pulumi.getProject(), pulumiStack: pulumi.getStack() };
        super(
            checklyAlertChannelProvider,
            name,
            // The whole config is one secret: the engine keeps the secret bit per top-level property
            // (pulumi/pulumi pkg/resource/plugin/provider_plugin.go annotateSecrets), so a token nested
            // in a header would otherwise come back from refresh in plain text.
            { ...args, config: pulumi.secret(args.config), ...owner, name: undefined, channel: undefined, claimed: undefined },
            { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...CHANNEL_SECRET_OUTPUTS] },
            MODULE,
            NAME,
        );
    }
}

/** Serialized into every channel's state as `__provider`: a shim that loads the handlers in the host
 * (providers/core/shim.ts), so state holds no code and no credentials. */
export const checklyAlertChannelProvider: pulumi.dynamic.ResourceProvider = handlersShim(
    "providers/checkly/handlers",
    "checklyAlertChannelHandlers",
    "__checklyAlertChannelHandlers",
);
