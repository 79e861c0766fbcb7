// The end-to-end tier's program: the company's routes (stack/routes.ts) through the real AlertRouting
// component and AlertRoute resource, for the stack named `production` or `staging`, with the ids and
// adoption keys a real stack uses (`alert-routing:<group>.<name>`, `alert-routing:adopt.<key>`).
// The AWS and Kubernetes parts of the real program are left out: nothing here emulates them.
import * as pulumi from "@pulumi/pulumi";

import { AlertRouting } from "../../../stack/alertRouting";
import {
    ENVIRONMENTS,
    ID_DESCRIPTIONS,
    routeDefinitions,
    type Environment,
    type IdGroup,
    type RouteIds,
    type RouteKey,
} from "../../../stack/routes";

const environment = pulumi.getStack() as Environment;
if (!(ENVIRONMENTS as readonly string[]).includes(environment))
    throw new Error(`stack "${environment}" is not one of ${ENVIRONMENTS.join(", ")}`);

const config = new pulumi.Config("alert-routing");
const ids = Object.fromEntries(
    (Object.keys(ID_DESCRIPTIONS) as IdGroup[]).map((group) => [group, config.getObject(group) ?? {}]),
) as RouteIds;
const adopt = config.getObject<Partial<Record<RouteKey, string>>>("adopt") ?? {};

const routing = new AlertRouting("routes", { routes: routeDefinitions(environment, ids), adopt, protect: environment === "production" });

export const routes = routing.routes;
