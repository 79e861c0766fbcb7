// One stack = one environment: its alert routes, the Alertmanager token path, and the outputs
// that back both up. index.ts runs this; the tests run it under Pulumi mocks.
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";

import * as pulumi from "@pulumi/pulumi";

import { AlertCatalogue } from "./alertCatalogue";
import { AlertRouting } from "./alertRouting";
import { AlertmanagerTokenPath } from "./alertmanagerTokenPath";
import { alertSourceToken, alertSourceUrl } from "./alertSourceToken";
import { stackChecklyChannel } from "./checklyChannel";
import { readStackConfig } from "./config";
import { logCoverage } from "./coverage/preview";
import { routeDefinitions } from "./routes";

export function alertRoutingStack() {
    // Reads and checks all config first: a missing key fails here, before any API call.
    const config = readStackConfig();
    const { environment, routeIds } = config;
    const { context, ...kubernetes } = config.kubernetes;

    // Production: sources, attributes, routes and the token path are protected from `pulumi destroy`
    // and removed lines. The config's source and attribute ids are their adoption ids.
    const protect = environment === "production";
    const catalogue = new AlertCatalogue("alert-catalogue", {
        environment,
        adoptIds: { alertSources: routeIds.alertSources, alertAttributes: routeIds.alertAttributes },
        protect,
    });
    // Routes take source and attribute ids from the resources (so they wait for them), the rest from config.
    const resourceIds = pulumi.all({
        alertSources: pulumi.all(Object.fromEntries(Object.entries(catalogue.sources).map(([key, s]) => [key, s!.id]))),
        alertAttributes: pulumi.all(Object.fromEntries(Object.entries(catalogue.attributes).map(([key, a]) => [key, a!.id]))),
    });
    const routes = routeDefinitions(environment, routeIds);
    // Gaps and overlaps in what the routes receive show as warnings in every preview.
    logCoverage(environment, routes, routeIds);
    const routing = new AlertRouting("routes", {
        routes,
        alertSourcesOf: (key) =>
            resourceIds.apply(
                (ids) => routeDefinitions(environment, { ...routeIds, ...ids }).find((d) => d.key === key)!.spec.alert_sources,
            ),
        adopt: config.adopt,
        sameNameLive: config.sameNameLiveRoute,
        protect,
    });

    // allowedAccountIds: the AWS provider refuses credentials of any other account before any change,
    // so staging credentials that reach production's account cannot overwrite production's secret.
    const awsProvider = new aws.Provider("aws", {
        region: config.aws.region as aws.Region,
        profile: config.aws.profile,
        allowedAccountIds: [config.aws.accountId],
    });
    // Without a context, the current context of $KUBECONFIG (or ~/.kube/config). enableSecretMutable
    // (pulumi-kubernetes >= 4.18.0): a changed alertmanager.yaml updates the protected config Secret
    // in place instead of replacing it, which protect would refuse.
    const k8sProvider = new k8s.Provider("kubernetes", { context, enableServerSideApply: true, enableSecretMutable: true });

    // The Alertmanager source's URL and token come from its resource: no second read of the source.
    const alertmanagerSource = { source: catalogue.sources.alertmanager!, stack: environment };
    const url = alertSourceUrl(alertmanagerSource);
    const tokenPath = new AlertmanagerTokenPath("alertmanager-token-path", {
        token: alertSourceToken(alertmanagerSource),
        alertEventsUrl: url,
        stack: environment,
        protect,
        aws: { provider: awsProvider, adoptSecretArn: config.aws.adoptTokenSecretArn },
        kubernetes: { provider: k8sProvider, ...kubernetes },
    });

    const checklyChannel = stackChecklyChannel(environment, catalogue.sources.checkly!, config.adoptChecklyChannel, { protect });

    return {
        environment,
        /** The Checkly channel that carries Checkly's alerts to incident.io: its id and name (its headers stay secret). */
        checklyChannel: { id: checklyChannel.id, name: checklyChannel.name },
        /** Per route: id, name, version and the full normalised route (`pulumi stack output --json` is a backup). */
        routes: routing.routes,
        /** Per source: id, name, alert events URL and the definition as incident.io holds it (never the token). */
        alertSources: catalogue.backups(),
        alertAttributes: catalogue.attributeBackups(),
        alertEventsUrl: url,
        /** What Alertmanager runs: readable here, since the Secret that carries it is hidden in diffs. */
        alertmanagerConfig: tokenPath.alertmanagerConfig,
        tokenSecretArn: tokenPath.secretArn,
        tokenSecretVersionId: tokenPath.secretVersionId,
        /** The live Alertmanager's configSecret and mounted Secrets as they were before this update. */
        alertmanagerBefore: tokenPath.alertmanagerBefore,
    };
}
