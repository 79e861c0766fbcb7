// What `npm run restore-routes` will do with each backed-up route, decided from the backup and the
// live route, and how it is shown. Pure: restore-routes.ts does the reading, asking and writing.
//
// The comparison is the provider's (model.ts sameRoute/changedFields, what `pulumi up` compares),
// the owner of a route is what backups.ts reads (stack/routes.ts by name, or the claim recorded in a
// stack export), and the adoption line is the one import-routes prints.
import {
    changedFields,
    configSetCommand,
    describeValue,
    escapeControl,
    fromResponse,
    isSafeId,
    type AlertRouteResponse,
} from "../providers/incident-io";
import type { ImportedRoute } from "./backups";
import { table } from "./cli";
import { shellWord } from "./shellWord";

export type Action =
    /** the live route is the backup: nothing to write */
    | "same"
    /** the live route differs: PUT the backup over it at its version + 1 */
    | "overwrite"
    /** the route is gone: POST it, under a new id */
    | "create"
    /** a stack manages it: left to `pulumi up` unless --include-managed */
    | "managed"
    /** cannot be restored as it is (named in `problem`) */
    | "blocked";

export interface PlannedRoute {
    route: ImportedRoute;
    action: Action;
    /** The live route as read for the plan: its version is the one the PUT builds on. */
    live?: AlertRouteResponse;
    /** Top-level fields that differ between the live route and the backup. */
    changed: string[];
    /** The stack that manages the route (its claim, else its name in stack/routes.ts). */
    managedBy?: string;
    problem?: string;
}

/** The stack a route belongs to: the claim recorded in a stack export, else the table's owner by name. */
export const managedBy = (route: ImportedRoute): string | undefined => route.claimedBy ?? route.owner;

/** Routes matching `--only` (id, name or key); the values that matched nothing. */
export function selectRoutes(routes: ImportedRoute[], only: string[]): { selected: ImportedRoute[]; unmatched: string[] } {
    if (only.length === 0) return { selected: routes, unmatched: [] };
    const hits = (r: ImportedRoute, v: string) => r.id === v || r.spec.name === v || r.key === v;
    return {
        selected: routes.filter((r) => only.some((v) => hits(r, v))),
        unmatched: only.filter((v) => !routes.some((r) => hits(r, v))),
    };
}

/** A backed-up id that could name another path is never sent. Not today's ULID pattern: incident.io
 * may change its id format (providers/incident-io/ids.ts), and the API's 404 judges the rest. */
export const badId = (route: ImportedRoute): string | undefined =>
    isSafeId(route.id) ? undefined : `${describeValue(route.id)} is not an id of letters, digits, _ and -; nothing was sent for it`;

/**
 * One route's plan. `live` is GET's answer (undefined: the API said not_found); `namesake` lists
 * live routes of the same name, asked for only when the route is gone: one there means it was
 * re-created already (by hand, or by an earlier restore), and creating it again would make two.
 */
export function planRoute(
    route: ImportedRoute,
    live: AlertRouteResponse | undefined,
    opts: { includeManaged: boolean; namesakes?: Array<{ id: string; name: string }> },
): PlannedRoute {
    const owner = managedBy(route);
    const base = { route, live, changed: [] as string[], managedBy: owner };
    if (!live) {
        // A gone route a stack manages is the stack's to bring back, namesake or not: the backup folder keeps
        // the old file of every route a stack re-created under a new id, and that file must not fail each later run.
        if (owner && !opts.includeManaged) return { ...base, action: "managed" };
        const namesakes = (opts.namesakes ?? []).filter((r) => r.name === route.spec.name);
        if (namesakes.length > 0) {
            const ids = namesakes.map((r) => r.id).join(", ");
            // backup-routes keeps the files of routes no longer live, so a route this script re-created leaves its old
            // file behind, and every later run would stop here: the way out is named (a stack export is not one file per route).
            const oldFile = route.source.endsWith(".json") && !route.source.includes(" ") ? route.source : undefined;
            return {
                ...base,
                action: "blocked",
                problem:
                    `deleted, but incident.io has ${namesakes.length} route(s) named ${describeValue(route.spec.name)} (${ids}): ` +
                    "it was probably re-created already, and creating it again would make two. " +
                    (oldFile
                        ? `If ${ids} is its re-creation, nothing is left to restore: remove the old backup file (rm ${shellWord(oldFile)}; backup-routes keeps the files of routes no longer live). Otherwise compare with that route, or delete it in incident.io, then run again`
                        : "Compare with that route, or delete it, then run again"),
            };
        }
        return { ...base, action: "create" };
    }
    // The backup is the reference side: where the live route holds the API's alias of the backup's
    // operation, they agree (model.ts changedFields).
    const changed = changedFields(route.spec, fromResponse(live));
    if (changed.length === 0) return { ...base, changed, action: "same" };
    if (owner && !opts.includeManaged) return { ...base, changed, action: "managed" };
    return { ...base, changed, action: "overwrite" };
}

const MAX_VALUE = 120;
/** A field's value on one line, cut where it gets long. */
function short(value: unknown): string {
    const text = value === undefined ? "(none)" : describeValue(value);
    return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/** What the plan will do to one route, field by field for an overwrite. */
export function describePlan(plan: PlannedRoute): string[] {
    const { route } = plan;
    // The backup's and the API's text, shown: control characters escaped (an OSC 52 in a name would write the clipboard).
    const head = `${escapeControl(route.id)}  ${describeValue(route.spec.name)}`;
    switch (plan.action) {
        case "same":
            return [`${head}: same as the backup; skipped`];
        case "create":
            return [`${head}: no longer exists; will be created anew (incident.io gives it a new id)`];
        case "blocked":
            return [`${head}: not restored: ${plan.problem}`];
        case "managed":
            return [
                `${head}: managed by stack ${escapeControl(plan.managedBy!)}; skipped. The stack is the source of truth: restore it with ` +
                    `\`pulumi up --stack ${shellWord(plan.managedBy!)}\` (restoring it by hand makes the next \`pulumi refresh\` show it as drift), ` +
                    "or pass --include-managed",
            ];
        case "overwrite": {
            const live = fromResponse(plan.live!) as unknown as Record<string, unknown>;
            const backup = route.spec as unknown as Record<string, unknown>;
            return [
                `${head}: differs from the backup (live version ${plan.live!.version}); will be overwritten:`,
                ...plan.changed.map((f) => `    ${f}: ${short(live[f])}  →  ${short(backup[f])}`),
            ];
        }
    }
}

/** The counts the question names: "Restore 3 routes: overwrite 2, create 1". */
export function summaryLine(plans: PlannedRoute[]): string {
    const overwrite = plans.filter((p) => p.action === "overwrite").length;
    const create = plans.filter((p) => p.action === "create").length;
    const parts = [overwrite ? `overwrite ${overwrite}` : "", create ? `create ${create}` : ""].filter(Boolean);
    const n = overwrite + create;
    return `Restore ${n} route${n === 1 ? "" : "s"}: ${parts.join(", ")}`;
}

export interface RestoreOutcome {
    plan: PlannedRoute;
    /** What happened, for the table. */
    result: "unchanged" | "restored" | "re-created" | "skipped (managed)" | "not written" | "not overwritten" | "failed";
    /** The id a re-created route got. */
    newId?: string;
    problem?: string;
}

export const couldNotRestore = (o: RestoreOutcome): boolean => o.result === "failed" || o.result === "not overwritten";

export function summaryTable(outcomes: RestoreOutcome[]): string {
    return table(
        ["id", "name", "stack", "result", "detail"],
        outcomes.map((o) => [
            o.plan.route.id,
            o.plan.route.spec.name,
            o.plan.managedBy ?? "none",
            o.result,
            o.newId ? `new id ${o.newId}` : (o.problem ?? (o.plan.changed.length ? o.plan.changed.join(", ") : "")),
        ]),
    );
}

/** For each re-created route a stack owns by name: the line that makes the stack adopt the new id. */
export function adoptionLines(outcomes: RestoreOutcome[]): string[] {
    return outcomes
        .filter((o) => o.newId && o.plan.route.owner)
        .map((o) =>
            configSetCommand({ stack: o.plan.route.owner, key: `alert-routing:adopt.${o.plan.route.key}`, value: o.newId!, path: true }),
        );
}

/** The stacks whose routes were written by hand: each needs a refresh to see them. */
export function stacksToRefresh(outcomes: RestoreOutcome[]): string[] {
    const written = outcomes.filter((o) => (o.result === "restored" || o.result === "re-created") && o.plan.managedBy);
    return [...new Set(written.map((o) => o.plan.managedBy!))].sort();
}
