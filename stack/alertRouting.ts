// The incident.io alert routes one stack owns, as AlertRoute resources.
import * as pulumi from "@pulumi/pulumi";

import { AlertRoute, type AlertRouteSpec, type AlertSourceFilter } from "../providers/incident-io";
import type { RouteDefinition, RouteKey } from "./routes";

/** What a stack output holds per route: enough to restore it, and to adopt it again. */
export interface RouteBackup {
    id: pulumi.Output<string>;
    name: pulumi.Output<string>;
    version: pulumi.Output<number>;
    /** The route as incident.io holds it, normalised to the create payload. */
    route: pulumi.Output<AlertRouteSpec>;
}

export interface AlertRoutingArgs {
    routes: RouteDefinition[];
    /** A route's alert_sources built from the AlertSource and AlertAttribute resources' ids (else the spec's). */
    alertSourcesOf?: (key: RouteKey) => pulumi.Input<AlertSourceFilter[]>;
    /** Live route ids to take under management instead of creating duplicates. */
    adopt: Partial<Record<RouteKey, string>>;
    /** A route about to be created while a live route has its name (no adopt key): "warn" (default) or "error". */
    sameNameLive?: "warn" | "error";
    /** Production routes are protected: `pulumi destroy` or deleting a row cannot remove them by accident. */
    protect: boolean;
}

/** A route's resource options: the stack's protection, unless the route is being retired (routes.ts, `retire`). */
export function routeOptions(stackProtects: boolean, retire: RouteDefinition["retire"]): { protect: boolean; retainOnDelete: boolean } {
    return { protect: stackProtects && retire === undefined, retainOnDelete: retire === "keep" };
}

export class AlertRouting extends pulumi.ComponentResource {
    readonly routes: Record<string, RouteBackup>;

    constructor(name: string, args: AlertRoutingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("alert-routing:index:AlertRouting", name, {}, opts);
        this.routes = {};
        for (const { key, spec, adoptRenaming, retire } of args.routes) {
            // Adoption errors, and the warning about a live route of the same name when there is no
            // adoption, name the config key to set; adoptRenaming only where a row asks for it.
            const adoption = { ...(args.adopt[key] ? { adoptId: args.adopt[key] } : {}), adoptIdConfigKey: `alert-routing:adopt.${key}` };
            const route = new AlertRoute(
                key,
                {
                    ...spec,
                    ...(args.alertSourcesOf ? { alert_sources: args.alertSourcesOf(key) } : {}),
                    ...adoption,
                    ...(adoptRenaming ? { adoptRenaming } : {}),
                    ...(args.sameNameLive ? { sameNameLive: args.sameNameLive } : {}),
                },
                { parent: this, ...routeOptions(args.protect, retire) },
            );
            this.routes[key] = { id: route.id, name: route.name, version: route.version, route: route.route };
        }
        this.registerOutputs({ routes: this.routes });
    }
}
