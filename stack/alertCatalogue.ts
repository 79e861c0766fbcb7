// The alert sources and alert attributes one stack manages (sources.ts), as AlertSource and
// AlertAttribute resources, each adopted from the live organisation by the id in its config key.
// Never deleted by the stack (retainOnDelete) and, in production, protected: removing a row or
// `pulumi destroy` only stops managing a source, since a source re-created would break every sender.
import * as pulumi from "@pulumi/pulumi";

import { AlertAttribute, AlertSource, type AlertAttributeSpec, type AlertSourceSpec } from "../providers/incident-io";
import type { AlertAttribute as AttributeKey, AlertSource as SourceKey, Environment } from "./routes";
import { attributesOwnedBy, sourcesOwnedBy } from "./sources";

/** What a stack output holds per source: enough to find it, and its definition as incident.io holds it (no token). */
export interface SourceBackup {
    id: pulumi.Output<string>;
    name: pulumi.Output<string>;
    alertEventsUrl: pulumi.Output<string | undefined>;
    source: pulumi.Output<AlertSourceSpec>;
}

export interface AttributeBackup {
    id: pulumi.Output<string>;
    attribute: pulumi.Output<AlertAttributeSpec>;
}

export interface AlertCatalogueArgs {
    environment: Environment;
    /** The live ids (`alert-routing:alertSources.*`, `alertAttributes.*`), adopted on the first up. */
    adoptIds: { alertSources: Partial<Record<SourceKey, string>>; alertAttributes: Partial<Record<AttributeKey, string>> };
    protect: boolean;
}

export class AlertCatalogue extends pulumi.ComponentResource {
    readonly sources: Partial<Record<SourceKey, AlertSource>> = {};
    readonly attributes: Partial<Record<AttributeKey, AlertAttribute>> = {};

    constructor(name: string, args: AlertCatalogueArgs, opts?: pulumi.ComponentResourceOptions) {
        super("alert-routing:index:AlertCatalogue", name, {}, opts);
        const options = { parent: this, protect: args.protect, retainOnDelete: true };
        for (const row of attributesOwnedBy(args.environment)) {
            this.attributes[row.key] = new AlertAttribute(
                `attribute-${row.key}`,
                { ...row.spec, ...adoption("alertAttributes", row.key, args.adoptIds.alertAttributes[row.key]) },
                options,
            );
        }
        // A template binds attributes by id: the ids come from the attribute resources.
        const attributeIds = pulumi.all(Object.fromEntries(Object.entries(this.attributes).map(([key, a]) => [key, a!.id])));
        for (const row of sourcesOwnedBy(args.environment)) {
            const known = row.spec(args.adoptIds.alertAttributes);
            this.sources[row.key] = new AlertSource(
                `source-${row.key}`,
                {
                    ...known,
                    template: attributeIds.apply((ids) => row.spec(ids).template),
                    ...adoption("alertSources", row.key, args.adoptIds.alertSources[row.key]),
                },
                options,
            );
        }
        this.registerOutputs({ sources: this.backups() });
    }

    /** Per source: id, name, URL and definition (`pulumi stack output --json` is a backup, without tokens). */
    backups(): Record<string, SourceBackup> {
        return Object.fromEntries(
            Object.entries(this.sources).map(([key, s]) => [
                key,
                { id: s!.id, name: s!.name, alertEventsUrl: s!.alert_events_url, source: s!.source },
            ]),
        );
    }

    attributeBackups(): Record<string, AttributeBackup> {
        return Object.fromEntries(Object.entries(this.attributes).map(([key, a]) => [key, { id: a!.id, attribute: a!.attribute }]));
    }
}

function adoption(group: "alertSources" | "alertAttributes", key: string, id: string | undefined) {
    // config.ts requires the id of every source and attribute a stack manages.
    if (!id) throw new Error(`alert-routing:${group}.${key} is not set; config.ts should have reported it`);
    return { adoptId: id, adoptIdConfigKey: `alert-routing:${group}.${key}` };
}
