// What makes a Checkly webhook channel an incident.io one (checkly/checkly-cli
// constructs/incidentio-alert-channel.ts): webhookType WEBHOOK_INCIDENTIO, POST to the incident.io
// source's alert_events_url, one header `Authorization: Bearer <the source's secret_token>`.

export const INCIDENT_IO_WEBHOOK_TYPE = "WEBHOOK_INCIDENTIO";
export const INCIDENT_IO_METHOD = "POST";
/** The header that carries the source's token. Checkly sends header names as written; HTTP compares them case-insensitively. */
export const AUTHORIZATION_HEADER = "Authorization";

/**
 * The body Checkly sends: an incident.io alert event (title, description, deduplication_key,
 * status firing/resolved, metadata; incident.io's OpenAPI, AlertEventsCreateHTTPPayloadV2) filled
 * with Checkly's template variables (ALERT_TITLE, ALERT_TYPE, CHECK_ID, RESULT_LINK, ...: Checkly's
 * webhook docs, "Template Variables"; `{{#contains}}` is Checkly's Handlebars helper). Recoveries
 * resolve the alert that the failure opened: both carry the check's id as deduplication key.
 */
export const INCIDENT_IO_TEMPLATE = `{
  "title": "{{ALERT_TITLE}}",
  "description": "{{ALERT_TITLE}} at {{STARTED_AT}} in {{RUN_LOCATION}} ({{RESPONSE_TIME}} ms)",
  "deduplication_key": "{{CHECK_ID}}",
  "source_url": "{{RESULT_LINK}}",
  "metadata": {
    "alert_type": "{{ALERT_TYPE}}",
    "check_name": "{{CHECK_NAME}}",
    "check_result_id": "{{CHECK_RESULT_ID}}",
    "group_name": "{{GROUP_NAME}}"
  },
  {{#contains ALERT_TYPE "RECOVERY"}}"status": "resolved"{{else}}"status": "firing"{{/contains}}
}
`;

/** The header list for a token: the only header of an incident.io channel, locked (hidden in Checkly's UI). */
export function bearerHeaders(token: string): Array<{ key: string; value: string; locked: boolean }> {
    return [{ key: AUTHORIZATION_HEADER, value: `Bearer ${token}`, locked: true }];
}
