// incident.io's ids, checked only as far as its compatibility promise allows. Its API reference
// (docs.incident.io/api-reference/introduction, "backwards-compatible changes") lists "a different
// format or length of ids" among changes it may make without notice: a value is refused only when
// it cannot be an id at all; one that merely does not look like today's ids passes with a warning,
// and the API's own 404/422 stays the judge.

/** What incident.io's ids look like today: ULIDs, 26 characters of Crockford base32. */
export const INCIDENT_IO_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
export const ID_EXAMPLE = "01FCNDV6P870EA6S7TK1DSYDG0";
/** Far above any id format in use (ULIDs 26, UUIDs 36); a longer value is a paste of something else. */
export const MAX_ID_LENGTH = 128;

const HINT = `incident.io ids look like ${ID_EXAMPLE} (26 characters today)`;

/** Why `value` cannot be an incident.io id, or undefined. Each reason keeps the hint of what ids look like. */
export function idProblem(value: string): string | undefined {
    const shown = JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    if (/[\u0000-\u001f\u007f]/.test(value)) return `${shown} cannot be an id: it holds a control character; ${HINT}`;
    if (value === "") return `is empty; ${HINT}`;
    if (/\s/.test(value)) return `${shown} cannot be an id: it holds whitespace; ${HINT}`;
    if (value.includes("/")) return `${shown} cannot be an id: it holds "/" (a URL or path, not an id?); ${HINT}`;
    if (value.length > MAX_ID_LENGTH)
        return `${shown} cannot be an id: it is ${value.length} characters long (at most ${MAX_ID_LENGTH}); ${HINT}`;
    return undefined;
}

/** A warning for an id that passes `idProblem` but does not look like today's ids, or undefined. */
export function unusualId(value: string): string | undefined {
    if (INCIDENT_IO_ID.test(value) || idProblem(value) !== undefined) return undefined;
    return `"${value}" does not look like an incident.io id (${HINT}); it is sent as it is, since incident.io may change its id format, and the API refuses it if it is wrong`;
}
