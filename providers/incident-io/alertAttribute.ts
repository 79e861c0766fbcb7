import * as pulumi from "@pulumi/pulumi";
import { handlersShim, type OwnershipInputs } from "../core";
import type { AlertAttributeSpec } from "./types";

/** An incident.io alert attribute: the v2 create payload field for field, plus how to adopt the live one. */
export interface AlertAttributeArgs {
    name: pulumi.Input<string>;
    /** Engine type, e.g. "String". */
    type: pulumi.Input<string>;
    array: pulumi.Input<boolean>;
    emoji?: pulumi.Input<string>;
    /** Left out: incident.io keeps its current setting. */
    required?: pulumi.Input<boolean>;
    adoptId?: pulumi.Input<string>;
    adoptRenaming?: pulumi.Input<boolean>;
    adoptIdConfigKey?: pulumi.Input<string>;
}

export type AlertAttributeInputs = AlertAttributeSpec & OwnershipInputs;
export type AlertAttributeOutputs = AlertAttributeInputs & { attribute: AlertAttributeSpec };

const MODULE = "incident-io";
const NAME = "AlertAttribute";
export const ALERT_ATTRIBUTE_TYPE = `pulumi-nodejs:dynamic/${MODULE}:${NAME}`;

/** An incident.io alert attribute; routes test it as `alert.attributes.<id>`. */
export class AlertAttribute extends pulumi.dynamic.Resource {
    declare public readonly name: pulumi.Output<string>;
    declare public readonly attribute: pulumi.Output<AlertAttributeSpec>;

    constructor(name: string, args: AlertAttributeArgs, opts?: pulumi.CustomResourceOptions) {
        const owner = { pulumiProject: pulumi.getProject(), pulumiStack: pulumi.getStack() };
        super(alertAttributeProvider, name, { ...args, ...owner, attribute: undefined }, opts, MODULE, NAME);
    }
}

/** Serialized into every AlertAttribute's state: loads providers/incident-io/alertAttributeHandlers in the host. */
export const alertAttributeProvider = handlersShim(
    "providers/incident-io/alertAttributeHandlers",
    "alertAttributeHandlers",
    "__incidentIoAlertAttributeHandlers",
);
