// The model layer between incident.io's AlertAttributeV2 and the AlertAttribute resource's payload shape.
//  - `required`: "If this field is not set, the existing setting will be preserved" (openapi
//    AlertAttributesCreatePayloadV2): a definition without it does not own it, so the live value
//    is no difference.
//  - `emoji` is optional the same way on the wire; left out, the live emoji is kept, so it is not compared either.
import { stableJson } from "./model";
import type { AlertAttributeResponse, AlertAttributeSpec } from "./types";

export const ATTRIBUTE_FIELDS = ["name", "type", "array", "emoji", "required"] as const satisfies readonly (keyof AlertAttributeSpec)[];
/** Fields the API keeps when a payload leaves them out. */
const KEPT_WHEN_ABSENT = ["emoji", "required"] as const;

export function pickAttributeSpec(value: object): AlertAttributeSpec {
    const v = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const field of ATTRIBUTE_FIELDS) if (v[field] !== undefined && v[field] !== null) out[field] = v[field];
    return out as unknown as AlertAttributeSpec;
}

/** The answer in the payload shape; with `planned`, fields the definition leaves to the API are left out. */
export function fromAttributeResponse(
    remote: AlertAttributeResponse | AlertAttributeSpec,
    planned?: AlertAttributeSpec,
): AlertAttributeSpec {
    const spec = pickAttributeSpec(remote) as unknown as Record<string, unknown>;
    if (planned) for (const field of KEPT_WHEN_ABSENT) if (planned[field] === undefined) delete spec[field];
    return spec as unknown as AlertAttributeSpec;
}

/** Fields that differ; a field `a` (the definition or the stored form) leaves out is not compared. */
export function attributeChangedFields(a: AlertAttributeSpec, b: AlertAttributeSpec): string[] {
    const ra = a as unknown as Record<string, unknown>;
    const rb = b as unknown as Record<string, unknown>;
    return ATTRIBUTE_FIELDS.filter((f) => {
        if ((KEPT_WHEN_ABSENT as readonly string[]).includes(f) && (ra[f] === undefined || rb[f] === undefined)) return false;
        return stableJson(ra[f]) !== stableJson(rb[f]);
    });
}

export function sameAttribute(a: AlertAttributeSpec, b: AlertAttributeSpec): boolean {
    return attributeChangedFields(a, b).length === 0;
}
