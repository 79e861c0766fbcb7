// The fixture's `alert-routing-e2e:catalogue` mode (index.ts loads this file only then): the stack's
// AlertCatalogue (sources and attributes, adopted by the ids in `alert-routing:alertSources.*` and
// `alertAttributes.*`) and its Checkly alert channel posting to the Checkly source with its secret token, through
// the same AlertCatalogue and stackChecklyChannel as stack/program.ts.
import type * as pulumi from "@pulumi/pulumi";

import { AlertCatalogue, type SourceBackup } from "../../../stack/alertCatalogue";
import { stackChecklyChannel } from "../../../stack/checklyChannel";
import type { Environment, RouteIds } from "../../../stack/routes";

export function catalogueOf(
    environment: Environment,
    ids: RouteIds,
    adoptChecklyChannel: string | undefined,
): { alertSources: Record<string, SourceBackup>; checklyChannel: { id: pulumi.Output<string>; name: pulumi.Output<string> } } {
    const protect = environment === "production";
    const catalogue = new AlertCatalogue("alert-catalogue", {
        environment,
        adoptIds: { alertSources: ids.alertSources, alertAttributes: ids.alertAttributes },
        protect,
    });
    const channel = stackChecklyChannel(environment, catalogue.sources.checkly!, adoptChecklyChannel, { protect });
    return { alertSources: catalogue.backups(), checklyChannel: { id: channel.id, name: channel.name } };
}
