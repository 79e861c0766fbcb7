// Backups of the alert sources and alert attributes (backup-routes writes them beside the routes):
// <out>/alert_sources/<id>.json and <out>/alert_attributes/<id>.json, keys sorted. A source's
// `secret_token` is removed before anything is written (the file says so): a backup is read by
// people and tools that must never see it, and no payload can set it back anyway.
import * as fs from "node:fs";
import * as path from "node:path";

import type { AlertSourceResponse, IncidentIoClient } from "../providers/incident-io";
import { stableJson } from "./cli";

export const SOURCES_DIR = "alert_sources";
export const ATTRIBUTES_DIR = "alert_attributes";
export const TOKEN_REMOVED_NOTE =
    "secret_token was removed from this backup: it is secret, read-only and cannot be restored (no payload carries it). The live source keeps it; the stack holds it as the AlertSource's secret output.";

/** incident.io ids are ULIDs; anything else is not used as a file name. */
const SAFE_ID = /^[0-9A-Za-z]{10,40}$/;

/** The file's text for one source: without its token, with the note saying so. */
export function sourceBackupText(source: AlertSourceResponse): string {
    const { secret_token, ...rest } = source;
    return stableJson({ alert_source: rest, ...(secret_token !== undefined ? { note: TOKEN_REMOVED_NOTE } : {}) });
}

export interface CatalogueOutcome {
    sources: number;
    attributes: number;
    problems: string[];
}

/** Lists every source and attribute (each list is one request) and writes one file each. */
export async function backupCatalogue(
    client: IncidentIoClient,
    out: string,
    write: (file: string, text: string) => unknown,
): Promise<CatalogueOutcome> {
    const outcome: CatalogueOutcome = { sources: 0, attributes: 0, problems: [] };
    const save = (dir: string, id: string, text: string) => {
        if (!SAFE_ID.test(id)) throw new Error(`the list gave ${JSON.stringify(id)}, which is not an incident.io id`);
        fs.mkdirSync(path.join(out, dir), { recursive: true });
        write(path.join(out, dir, `${id}.json`), text);
    };
    try {
        for (const source of await client.listAlertSources()) {
            save(SOURCES_DIR, source.id, sourceBackupText(source));
            outcome.sources++;
        }
    } catch (error) {
        outcome.problems.push(`alert sources: ${(error as Error).message}`);
    }
    try {
        for (const attribute of await client.listAlertAttributes()) {
            save(ATTRIBUTES_DIR, attribute.id, stableJson({ alert_attribute: attribute }));
            outcome.attributes++;
        }
    } catch (error) {
        outcome.problems.push(`alert attributes: ${(error as Error).message}`);
    }
    return outcome;
}
