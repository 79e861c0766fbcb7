// One stack = one environment: its alert routes, the Alertmanager token path, and the outputs
// that back both up. index.ts runs this; the tests run it under Pulumi mocks.
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";

import { AlertRouting } from "./alertRouting";
import { AlertmanagerTokenPath } from "./alertmanagerTokenPath";
import { alertSourceToken, type FetchAlertSourceToken } from "./alertSourceToken";
import { readStackConfig } from "./config";
import { logCoverage } from "./coverage/preview";
import { routeDefinitions } from "./routes";
import { alertEventsUrl } from "./tokenPath";

export interface StackDependencies {
    /** Replaces the incident.io call for the token (tests). */
    fetchAlertSourceToken?: FetchAlertSourceToken;
}

export function alertRoutingStack(deps: StackDependencies = {}) {
    // Reads and checks all config first: a missing key fails here, before any API call.
    const config = readStackConfig();
    const { environment, routeIds } = config;
    const { context, ...kubernetes } = config.kubernetes;
    const alertmanagerSourceId = routeIds.alertSources.alertmanager!;

    // Production: routes and the token path are protected from `pulumi destroy` and removed lines.
    const protect = environment === "production";
    const routes = routeDefinitions(environment, routeIds);
    // Gaps and overlaps in what the routes receive show as warnings in every preview.
    logCoverage(environment, routes, routeIds);
    const routing = new AlertRouting("routes", {
        routes,
        adopt: config.adopt,
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

    const url = alertEventsUrl(alertmanagerSourceId);
    const tokenPath = new AlertmanagerTokenPath("alertmanager-token-path", {
        token: alertSourceToken({
            configured: config.alertSourceToken,
            alertSourceId: alertmanagerSourceId,
            incidentIo: config.incidentIo,
            fetch: deps.fetchAlertSourceToken,
        }),
        alertEventsUrl: url,
        stack: environment,
        protect,
        aws: { provider: awsProvider, adoptSecretArn: config.aws.adoptTokenSecretArn },
        kubernetes: { provider: k8sProvider, ...kubernetes },
    });

    return {
        environment,
        /** Per route: id, name, version and the full normalised route (`pulumi stack output --json` is a backup). */
        routes: routing.routes,
        alertEventsUrl: url,
        /** What Alertmanager runs: readable here, since the Secret that carries it is hidden in diffs. */
        alertmanagerConfig: tokenPath.alertmanagerConfig,
        tokenSecretArn: tokenPath.secretArn,
        tokenSecretVersionId: tokenPath.secretVersionId,
        /** The live Alertmanager's configSecret and mounted Secrets as they were before this update. */
        alertmanagerBefore: tokenPath.alertmanagerBefore,
    };
}
