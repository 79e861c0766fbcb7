// The end-to-end tier's program: the company's routes (stack/routes.ts) through the real AlertRouting
// component and AlertRoute resource, for the stack named `production` or `staging`, with the ids and
// adoption keys a real stack uses (`alert-routing:<group>.<name>`, `alert-routing:adopt.<key>`).
// The AWS and Kubernetes parts of the real program are left out: nothing here emulates them.
// `alert-routing-e2e:retire` ({key: "delete"|"keep"}) and `alert-routing-e2e:removed` ([key]) stand in for
// the code edits of the retire runbook (a row's `retire:` field, then the row removed). With
// `alert-routing-e2e:catalogue` true it also holds what the real program builds on the sources: the stack's
// AlertCatalogue (sources and attributes, adopted by the ids in `alert-routing:alertSources.*` and
// `alertAttributes.*`) and its Checkly alert channel (posting to the Checkly source with its secret token),
// as stack/program.ts wires them.
import * as pulumi from "@pulumi/pulumi";

import type { SameNameLevel } from "../../../providers/incident-io";
import { AlertRouting } from "../../../stack/alertRouting";
import type * as CatalogueModule from "./catalogue";
import {
    defaultSameNameLevel,
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

const edits = new pulumi.Config("alert-routing-e2e");
const retire = edits.getObject<Partial<Record<RouteKey, "delete" | "keep">>>("retire") ?? {};
const removed = edits.getObject<RouteKey[]>("removed") ?? [];
const definitions = routeDefinitions(environment, ids)
    .filter((route) => !removed.includes(route.key))
    .map((route) => (retire[route.key] ? { ...route, retire: retire[route.key] } : route));

// As the real program reads it (stack/config.ts): production stops on a second route of a live route's name.
const sameNameLive = (config.get("sameNameLiveRoute") as SameNameLevel | undefined) ?? defaultSameNameLevel(environment);
const routing = new AlertRouting("routes", { routes: definitions, adopt, sameNameLive, protect: environment === "production" });

/** As the real program's `routes` output: per route its id, name, version and the route as incident.io holds it. */
export const routes = routing.routes;

// Loaded only when asked for: the routes-only runs (and `npm run bench`'s timing of them) do not load those modules.
const catalogue = edits.getBoolean("catalogue")
    ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- a conditional load
      (require("./catalogue") as typeof CatalogueModule).catalogueOf(
          environment,
          ids,
          config.getObject<{ checklyChannel?: string }>("adopt")?.checklyChannel,
      )
    : undefined;
/** As the real program's outputs of the same names (no token in any). */
export const alertSources = catalogue?.alertSources;
export const checklyChannelOutput = catalogue?.checklyChannel;
