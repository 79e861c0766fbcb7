// The fixture's `alert-routing-e2e:catalogue` mode (index.ts loads this file only then): the stack's
// AlertCatalogue (sources and attributes, adopted by the ids in `alert-routing:alertSources.*` and
// `alertAttributes.*`) and its Checkly alert channel posting to the Checkly source with its secret token, wired as
// stack/program.ts wires them.
import type * as pulumi from "@pulumi/pulumi";

import { ChecklyAlertChannel } from "../../../providers/checkly";
import { AlertCatalogue, type SourceBackup } from "../../../stack/alertCatalogue";
import { alertSourceToken, alertSourceUrl, CHECKLY_USE } from "../../../stack/alertSourceToken";
import { checklyChannelArgs } from "../../../stack/checklyChannel";
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
    const checklySource = { source: catalogue.sources.checkly!, stack: environment, use: CHECKLY_USE };
    const channel = new ChecklyAlertChannel(
        "checkly-channel",
        checklyChannelArgs(
            environment,
            { url: alertSourceUrl(checklySource), token: alertSourceToken(checklySource) },
            adoptChecklyChannel,
        ),
        { protect },
    );
    return { alertSources: catalogue.backups(), checklyChannel: { id: channel.id, name: channel.name } };
}
