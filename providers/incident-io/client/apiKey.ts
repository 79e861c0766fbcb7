// The API key as it is read (stack config or INCIDENT_IO_TOKEN): cleaned where it is read, so a
// key pasted with a newline neither breaks the Authorization header nor escapes redaction.
import { secretKeyFix } from "../../core/shell";

export const API_KEY_CONFIG = "incident-io:apiKey";
export const API_KEY_ENV = "INCIDENT_IO_TOKEN";

/** `fix`: how to give the key where this runs, in backticks (the provider: `pulumi config set --stack ... --secret`). */
export function missingKeyMessage(fix: string = defaultKeyFix()): string {
    return `incident.io API key is not set: give a key that has the scopes "View data" and "Create and manage on-call resources": ${fix}.`;
}

const defaultKeyFix = () => secretKeyFix({ stack: undefined, key: API_KEY_CONFIG, env: API_KEY_ENV });

export const MISSING_KEY_MESSAGE = missingKeyMessage();

/** Control characters (C0, DEL, C1): never part of a key, and not allowed in an HTTP header. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * The key without surrounding whitespace; undefined when empty. Throws, without repeating the key,
 * when a control character is left inside it. `source` names where it was read.
 */
export function cleanApiKey(
    raw: string | undefined,
    source: string = API_KEY_CONFIG,
    fix: string = defaultKeyFix(),
    service = "incident.io",
): string | undefined {
    if (raw === undefined || raw === null) return undefined;
    const key = String(raw).trim();
    if (key === "") return undefined;
    if (CONTROL.test(key)) {
        throw new Error(
            `${source} contains a control character (a line break or tab pasted inside the key); nothing was sent to ${service}. ` +
                `Set the key again as one line: ${fix}.`,
        );
    }
    return key;
}

/**
 * Every form in which a key could come back in an answer or an error: as configured (padding and
 * all), trimmed, URL-encoded and JSON-escaped. Longest first, so the padded form is replaced whole.
 */
export function secretForms(raw: string | undefined): string[] {
    if (!raw) return [];
    const bases = [String(raw), String(raw).trim()];
    const forms = new Set<string>();
    for (const base of bases) {
        for (const form of [base, encodeURIComponent(base), JSON.stringify(base).slice(1, -1)]) {
            if (form.length >= 4) forms.add(form);
        }
    }
    return [...forms].sort((a, b) => b.length - a.length);
}
