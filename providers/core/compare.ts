// Comparisons every kind shares: key order never counts, and Pulumi's "not known yet" sentinel.

/** JSON with object keys sorted at every level, for comparisons and fingerprints. */
export function stableJson(value: unknown): string {
    return (
        JSON.stringify(value, (_k, v) =>
            v && typeof v === "object" && !Array.isArray(v)
                ? Object.fromEntries(
                      Object.keys(v)
                          .sort()
                          .map((k) => [k, v[k]]),
                  )
                : v,
        ) ?? "undefined"
    );
}

/** The sentinel Pulumi puts where a value is not known yet (during preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
    return value === UNKNOWN;
}

export function containsUnknown(value: unknown): boolean {
    if (isUnknown(value)) return true;
    if (Array.isArray(value)) return value.some(containsUnknown);
    return value !== null && typeof value === "object" && Object.values(value).some(containsUnknown);
}

/** A copy without `undefined` anywhere: the host cannot encode it (Struct.fromJavaScript). */
export function jsonClean<T>(value: T): T {
    return JSON.parse(JSON.stringify(value));
}
