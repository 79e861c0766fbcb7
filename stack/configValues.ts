// The shapes of single config values, checked before anything is read from or sent to an API.
// Pure; config.ts reports each refusal with its key and the command that fixes it.

/** RFC 1123 label (a namespace): lower-case alphanumerics and '-', at most 63 characters. */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 subdomain (a Secret, Alertmanager or SecretStore name): labels joined by '.', at most 253. */
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function dns1123LabelProblem(value: string): string | undefined {
    if (value.length <= 63 && DNS1123_LABEL.test(value)) return undefined;
    return `"${value}" is not a Kubernetes namespace name (DNS-1123 label: lower-case letters, digits and '-', at most 63 characters)`;
}

export function dns1123SubdomainProblem(value: string, what: string): string | undefined {
    if (value.length <= 253 && DNS1123_SUBDOMAIN.test(value)) return undefined;
    return `"${value}" is not a Kubernetes ${what} name (DNS-1123: lower-case letters, digits, '-' and '.', at most 253 characters)`;
}

/** Slack channel ids: C… for public channels, G… for private ones (as incident.io's Slack target takes them). */
const SLACK_CHANNEL_ID = /^[CG][A-Z0-9]{8,}$/;

export function slackChannelProblem(value: string): string | undefined {
    if (SLACK_CHANNEL_ID.test(value)) return undefined;
    if (value.startsWith("#") || /^[a-z0-9][a-z0-9._-]*$/.test(value)) {
        return `"${value}" is a channel name, not its id; in Slack open the channel's details, and copy the Channel ID at the bottom (C… or G…)`;
    }
    return `"${value}" is not a Slack channel id (C… for a public channel, G… for a private one, e.g. C01ABCDEF23)`;
}

/** Edit distance, for "did you mean" on unknown keys. */
function distance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        let diagonal = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const above = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
            diagonal = above;
        }
    }
    return row[b.length];
}

function commonPrefix(a: string, b: string): number {
    let i = 0;
    while (i < a.length && i < b.length && a[i].toLowerCase() === b[i].toLowerCase()) i++;
    return i;
}

/**
 * The known key closest to `unknown`, e.g. extraSecret → extraSecrets, prodAlerts → productionAlerts:
 * case-insensitive edit distance, less the shared prefix (abbreviations keep their start).
 */
export function closestKey(unknown: string, known: readonly string[]): string {
    const score = (k: string) => distance(unknown, k) - commonPrefix(unknown, k);
    return [...known].sort((x, y) => score(x) - score(y))[0];
}
