// The points d'accès the journal can be filtered on: every endpoint of the catalogue, by the
// French name the journal's rows show (one shared table, src-main/common/endpoint-labels.ts).
import { LABELLED_ENDPOINTS } from '../../../src-main/common/endpoint-labels';

export const JOURNAL_ENDPOINTS: readonly { id: string; label: string }[] = LABELLED_ENDPOINTS;
