// The workspace objects alert routes refer to, read-only as this project uses them: the list
// endpoints of alert sources, alert attributes and escalation paths (discover-config reads them).
// Shapes and page sizes follow the spec facts in dev/reference/incident-io:
//   GET /v2/alert_sources      -> AlertSourcesListResultV2 (no pagination parameters: every source)
//   GET /v2/alert_attributes   -> AlertAttributesListResultV2 (no pagination parameters)
//   GET /v2/escalation_paths   -> EscalationsListPathsResultV2, `page_size` (1..25, default 25)
//                                 and `after` (the last id of the previous page); pagination_meta.after
//                                 is set while more pages follow.
import { newUlid } from "./ids";
import { errorReply, json, type Reply } from "./replies";
import { loadSpec } from "./spec";
import type { EmulatorState } from "./state";

export interface AlertAttributeSeed {
    id: string;
    name: string;
    /** Engine type, e.g. "String"; default "String". */
    type?: string;
    array?: boolean;
    required?: boolean;
    emoji?: string;
}

export interface EscalationPathSeed {
    id: string;
    name: string;
    team_ids?: string[];
}

/** Attributes and escalation paths; alert sources live in EmulatorState (routes resolve their tokens there). */
export class Catalogue {
    private readonly attributes = new Map<string, AlertAttributeSeed>();
    private readonly paths = new Map<string, EscalationPathSeed>();

    addAlertAttribute(seed: AlertAttributeSeed): void {
        this.attributes.set(seed.id, { ...seed });
    }

    getAlertAttribute(id: string): AlertAttributeSeed | undefined {
        const attribute = this.attributes.get(id);
        return attribute && { ...attribute };
    }

    createAlertAttribute(payload: Omit<AlertAttributeSeed, "id">): AlertAttributeSeed {
        const attribute = { ...payload, id: newUlid() };
        this.attributes.set(attribute.id, attribute);
        return { ...attribute };
    }

    /** PUT. `required` and `emoji` left out keep their current value ("If this field is not set, the
     * existing setting will be preserved": openapi AlertAttributesUpdatePayloadV2.required). */
    updateAlertAttribute(id: string, payload: Omit<AlertAttributeSeed, "id">): AlertAttributeSeed | undefined {
        const existing = this.attributes.get(id);
        if (!existing) return undefined;
        const updated: AlertAttributeSeed = {
            ...payload,
            id,
            required: payload.required ?? existing.required,
            ...((payload.emoji ?? existing.emoji) ? { emoji: payload.emoji ?? existing.emoji } : {}),
        };
        this.attributes.set(id, updated);
        return { ...updated };
    }

    /** A dashboard edit; false when there is no such attribute. */
    editAlertAttribute(id: string, mutate: (attribute: AlertAttributeSeed) => void): boolean {
        const existing = this.attributes.get(id);
        if (!existing) return false;
        const draft = { ...existing };
        mutate(draft);
        this.attributes.set(id, { ...draft, id });
        return true;
    }

    deleteAlertAttribute(id: string): boolean {
        return this.attributes.delete(id);
    }

    addEscalationPath(seed: EscalationPathSeed): void {
        this.paths.set(seed.id, { ...seed });
    }

    listAlertAttributes(): AlertAttributeSeed[] {
        return [...this.attributes.values()].sort((a, b) => a.id.localeCompare(b.id));
    }

    listEscalationPaths(): EscalationPathSeed[] {
        return [...this.paths.values()].sort((a, b) => a.id.localeCompare(b.id));
    }
}

/** The maximum `page_size` the spec states for a list endpoint. */
export function maxPageSize(path: string): number {
    const params =
        (loadSpec().paths[path] as { get?: { parameters?: Array<{ name: string; schema?: { maximum?: number } }> } })?.get?.parameters ??
        [];
    const max = params.find((p) => p.name === "page_size")?.schema?.maximum;
    if (typeof max !== "number") throw new Error(`the spec facts state no page_size maximum for GET ${path}`);
    return max;
}

/**
 * One page of items ordered by id, as incident.io paginates: `after` is the last id of the
 * previous page; pagination_meta.after is the last id of this page while more follow.
 */
export function page<T extends { id: string }>(
    items: T[],
    query: URLSearchParams,
    max: number,
): { items: T[]; pagination_meta: { after?: string; page_size: number } } | Reply {
    const raw = query.get("page_size");
    let pageSize = Math.min(25, max);
    if (raw !== null && raw !== "") {
        pageSize = Number(raw);
        if (!/^-?\d+$/.test(raw) || pageSize < 1 || pageSize > max) {
            return errorReply(422, "validation_error", "invalid_value", `page_size must be an integer between 1 and ${max}`, "page_size");
        }
    }
    const after = query.get("after") || undefined;
    const remaining = items.filter((item) => after === undefined || item.id > after);
    const slice = remaining.slice(0, pageSize);
    const pagination_meta: { after?: string; page_size: number } = { page_size: pageSize };
    if (remaining.length > slice.length) pagination_meta.after = slice[slice.length - 1].id;
    return { items: slice, pagination_meta };
}

export function listAlertSources(state: EmulatorState): Reply {
    return json(200, { alert_sources: state.listAlertSources() });
}

/** AlertAttributeV2. */
export function attributeAnswer(a: AlertAttributeSeed): Record<string, unknown> {
    return {
        id: a.id,
        name: a.name,
        type: a.type ?? "String",
        array: a.array ?? false,
        required: a.required ?? false,
        ...(a.emoji ? { emoji: a.emoji } : {}),
    };
}

export function listAlertAttributes(catalogue: Catalogue): Reply {
    return json(200, { alert_attributes: catalogue.listAlertAttributes().map(attributeAnswer) });
}

export function listEscalationPaths(catalogue: Catalogue, query: URLSearchParams): Reply {
    const result = page(catalogue.listEscalationPaths(), query, maxPageSize("/v2/escalation_paths"));
    if ("status" in result) return result;
    return json(200, {
        escalation_paths: result.items.map((p) => ({
            id: p.id,
            name: p.name,
            team_ids: p.team_ids ?? [],
            // One level paging whoever is on call for a schedule: the smallest path the dashboard allows.
            path: [
                {
                    id: `${p.id}-level-1`,
                    type: "level",
                    level: { targets: [{ id: "01HSCHEDULE000000000000000", type: "schedule", urgency: "high" }] },
                },
            ],
        })),
        pagination_meta: result.pagination_meta,
    });
}
