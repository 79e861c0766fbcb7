// Pure id helpers for tests: nothing heavy is imported here, so a pure table test stays fast.

/** A well-formed incident.io id (ULID: Crockford base32, no I L O U) that reads as `tag`. */
export function fakeId(tag: string): string {
    const body = tag
        .toUpperCase()
        .replace(/[IL]/g, "1")
        .replace(/O/g, "0")
        .replace(/U/g, "V")
        .replace(/[^0-9A-HJKMNP-TV-Z]/g, "");
    return `01HZ${body}`.slice(0, 26).padEnd(26, "0");
}
