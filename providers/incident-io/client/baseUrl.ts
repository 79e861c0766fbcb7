// The incident.io API origin: checked before any request, since the API key travels with every call.
// Issue 9 owns this file; this copy keeps the stack's check (issue 10) compiling with the same contract.

/** Host names that never leave the machine: the only ones plain http may reach. */
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Returns the normalised origin (`https://api.incident.io`, no trailing slash) or throws an Error that
 * names `key` and the fix: https only (http only to a loopback address), no credentials, path, query
 * or fragment.
 */
export function parseBaseUrl(raw: string, key = "incident-io:baseUrl"): string {
    const fix = `pulumi config set ${key} https://api.incident.io`;
    const refuse = (why: string): never => {
        throw new Error(`${key} ${why}; nothing was sent. Set the API origin: ${fix}`);
    };
    if (typeof raw !== "string" || raw.trim() === "") refuse("is empty");
    if (raw !== raw.trim()) refuse(`has surrounding whitespace: ${JSON.stringify(raw)}`);
    let url: URL;
    try {
        url = new URL(raw);
    } catch {
        return refuse(`is not a URL: ${JSON.stringify(raw)}`);
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") refuse(`must use https, got ${url.protocol.replace(/:$/, "")}`);
    if (url.protocol === "http:" && !LOOPBACK_HOSTS.has(url.hostname) && !/^127\.\d+\.\d+\.\d+$/.test(url.hostname)) {
        refuse(`must use https (plain http only to a loopback address such as 127.0.0.1), got ${url.origin}`);
    }
    if (url.username || url.password) refuse("must not contain credentials");
    if (url.pathname !== "/" && url.pathname !== "") refuse(`must be an origin without a path, got path ${url.pathname}`);
    if (url.search || raw.includes("?")) refuse("must not contain a query");
    if (url.hash || raw.includes("#")) refuse("must not contain a fragment");
    return url.origin;
}
