import * as pulumi from "@pulumi/pulumi";
import { handlersShim, type OwnershipInputs } from "../core";
import type { AlertSourceSpec, AlertTemplate } from "./types";

/**
 * The arguments of an incident.io alert source: the v2 create payload field for field (a source's
 * JSON from the API or a backup can be pasted in; read-only fields are dropped, `secret_token` is
 * refused), plus how to adopt the live source. A source is adopted, never created to take one over.
 */
export interface AlertSourceArgs {
    name: pulumi.Input<string>;
    /** Create-only: a change is refused at preview (never a replacement: a new source has a new token). */
    source_type: pulumi.Input<string>;
    template: pulumi.Input<AlertTemplate>;
    owning_team_ids?: pulumi.Input<pulumi.Input<string>[]>;
    auto_resolve_incident_alerts?: pulumi.Input<boolean>;
    auto_resolve_timeout_minutes?: pulumi.Input<number>;
    email_options?: pulumi.Input<AlertSourceSpec["email_options"]>;
    heartbeat_options?: pulumi.Input<AlertSourceSpec["heartbeat_options"]>;
    http_custom_options?: pulumi.Input<AlertSourceSpec["http_custom_options"]>;
    jira_options?: pulumi.Input<AlertSourceSpec["jira_options"]>;
    /** The id of the live source to take under management. Read only when the resource is created. */
    adoptId?: pulumi.Input<string>;
    /** With `adoptId`: take the live source although its name differs (adoption renames it). */
    adoptRenaming?: pulumi.Input<boolean>;
    /** Where `adoptId` comes from (e.g. `alert-routing:alertSources.<key>`), named in adoption errors. */
    adoptIdConfigKey?: pulumi.Input<string>;
}

export type AlertSourceInputs = AlertSourceSpec & OwnershipInputs;

/** Every input, the source as incident.io holds it (payload shape, no token), its read-only values,
 * and the claim once made. */
export type AlertSourceOutputs = AlertSourceInputs & {
    source: AlertSourceSpec;
    secret_token?: string;
    alert_events_url?: string;
    email_address?: string;
    claimed?: Record<string, string>;
};

const MODULE = "incident-io";
const NAME = "AlertSource";
/** Every source's type in the state; changing it orphans them. */
export const ALERT_SOURCE_TYPE = `pulumi-nodejs:dynamic/${MODULE}:${NAME}`;

/** An incident.io alert source. Every change is an in-place update; nothing forces a replacement. */
export class AlertSource extends pulumi.dynamic.Resource {
    declare public readonly name: pulumi.Output<string>;
    declare public readonly source_type: pulumi.Output<string>;
    /** The source as incident.io holds it, in the payload shape: a restorable backup (without the token). */
    declare public readonly source: pulumi.Output<AlertSourceSpec>;
    /** What every sender presents. A secret output: the engine encrypts it in state and outputs. */
    declare public readonly secret_token: pulumi.Output<string | undefined>;
    /** Where senders post alert events (HTTP sources; email sources have `email_address`). */
    declare public readonly alert_events_url: pulumi.Output<string | undefined>;
    declare public readonly email_address: pulumi.Output<string | undefined>;

    constructor(name: string, args: AlertSourceArgs, opts?: pulumi.CustomResourceOptions) {
        const owner = { pulumiProject: pulumi.getProject(), pulumiStack: pulumi.getStack() };
        const outputs = {
            source: undefined,
            secret_token: undefined,
            alert_events_url: undefined,
            email_address: undefined,
            claimed: undefined,
        };
        super(
            alertSourceProvider,
            name,
            { ...args, ...owner, ...outputs },
            { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "secret_token"] },
            MODULE,
            NAME,
        );
    }
}

/** Serialized into every AlertSource's state: loads providers/incident-io/alertSourceHandlers in the host. */
export const alertSourceProvider = handlersShim(
    "providers/incident-io/alertSourceHandlers",
    "alertSourceHandlers",
    "__incidentIoAlertSourceHandlers",
);
