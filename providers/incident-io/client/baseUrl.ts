// `incident-io:baseUrl`, parsed with the WHATWG URL parser rather than pattern-matched: the key
// travels to whatever this names, so only an origin over https (http only to this machine, for
// tests and the emulator) is accepted. Shared by the provider's settings and the stack's config.
import { stackSettingFix, type SettingFix } from "./settingFix";

export const DEFAULT_BASE_URL = "https://api.incident.io";

/** Hosts of incident.io that are not its API (the dashboard answers API paths with HTML). */
const NOT_THE_API = /(^|\.)incident\.io$/;
const API_HOST = "api.incident.io";

/** Which API a base URL is for: its default origin, the hosts of its vendor that are not the API,
 * and the config key of the credential that travels to it. The default is incident.io's. */
export interface ApiOrigin {
    /** As error messages name it: "incident.io's API". */
    service: string;
    defaultUrl: string;
    apiHost: string;
    notTheApi: RegExp;
    apiKeyKey: string;
    /** The environment variable that may hold the same credential. */
    apiKeyEnv: string;
    /** The first path the client adds, named when a base URL carries a path. */
    pathPrefix: string;
}

export const INCIDENT_IO_ORIGIN: ApiOrigin = {
    service: "incident.io's API",
    defaultUrl: DEFAULT_BASE_URL,
    apiHost: API_HOST,
    notTheApi: NOT_THE_API,
    apiKeyKey: "incident-io:apiKey",
    apiKeyEnv: "INCIDENT_IO_TOKEN",
    pathPrefix: "/v2/...",
};

/**
 * The API's origin (`https://host[:port]`, no trailing slash) from a configured base URL. Throws
 * an Error naming `key` and the fix; the message never repeats credentials written into the URL.
 */
export function parseBaseUrl(
    raw: string,
    key = "incident-io:baseUrl",
    origin: ApiOrigin = INCIDENT_IO_ORIGIN,
    fixes: SettingFix = stackSettingFix(undefined),
): string {
    const defaultUrl = origin.defaultUrl;
    const fix = fixes.set(key, defaultUrl);
    const fail = (why: string, shown?: string): never => {
        throw new Error(`${key} ${why}${shown === undefined ? "" : `, got "${shown}"`}: ${fix}`);
    };
    if (typeof raw !== "string") fail(`must be a URL such as ${defaultUrl}`);
    const value = raw.trim();
    if (value === "") fail(`must be a URL such as ${defaultUrl}, got an empty value`);
    // The URL parser would silently drop tabs and newlines inside the value.
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    if (/[\s\u0000-\u001f\u007f-\u009f]/.test(value)) fail("must not contain spaces or control characters");

    let url: URL;
    try {
        url = new URL(value);
    } catch {
        return fail(`must be a URL such as ${defaultUrl}`, withoutCredentials(value));
    }
    const shown = withoutCredentials(value);
    if (url.username || url.password)
        fail(`must not contain credentials (the API key is given with ${fixes.setSecret(origin.apiKeyKey, origin.apiKeyEnv)})`, shown);
    if (url.protocol === "http:") {
        if (!isLoopback(url.hostname))
            fail(
                "must use https: over http the API key would travel in clear text (http is accepted only for a loopback address such as http://127.0.0.1:8080)",
                shown,
            );
    } else if (url.protocol !== "https:") {
        fail("must be an https URL", shown);
    }
    if (url.pathname !== "/" && url.pathname !== "")
        fail(`must be the API's origin without a path (the provider adds ${origin.pathPrefix}): use ${url.origin}`, shown);
    if (url.search !== "" || value.includes("?")) fail(`must not have a query: use ${url.origin}`, shown);
    if (url.hash !== "" || value.includes("#")) fail(`must not have a fragment: use ${url.origin}`, shown);
    const host = url.hostname.toLowerCase();
    if (origin.notTheApi.test(host) && host !== origin.apiHost)
        fail(`names ${host}, which is not ${origin.service} (that is ${defaultUrl})`, shown);
    return url.origin;
}

/** localhost, 127.0.0.0/8 and ::1: addresses that never leave this machine. */
export function isLoopback(hostname: string): boolean {
    const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
    return host === "localhost" || /^127(\.\d{1,3}){3}$/.test(host) || host === "::1";
}

/** The value as typed, with any `user:password@` replaced, so an error never repeats a secret. */
function withoutCredentials(value: string): string {
    return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, "$1[credentials]@");
}
