// What part 1 asks of each rate-limit pool: one endpoint per pool, and identifiers of synthetic
// companies that the endpoint's provider knows (a refresh calls PRO BTP for building firms, not for
// bakeries), so that the document path is exercised like in a real night.
import { ENDPOINTS, RATE_LIMIT_POOLS, type EndpointId, type RateLimitPoolId } from '../../src-main/node/api-entreprise/endpoint-catalogue';
import type { SyntheticCompanies, SyntheticCompany } from '../../src-main/node/fake-api/synthetic-companies';

export const POOL_ORDER: readonly RateLimitPoolId[] = ['json', 'urssaf', 'documents', 'dgfip', 'cibtp', 'inpi_rne'];

export interface PoolWorkload {
  pool: RateLimitPoolId;
  endpoint: EndpointId;
  limit: number;
  identifiers: string[];
}

const POOL_ENDPOINT: Record<RateLimitPoolId, { endpoint: EndpointId; covered: (c: SyntheticCompany) => boolean }> = {
  json: { endpoint: 'insee.unite_legale', covered: () => true },
  urssaf: { endpoint: 'urssaf.attestation_vigilance', covered: (c) => c.coverage.urssaf !== 'unknown' },
  documents: { endpoint: 'probtp.attestation', covered: (c) => c.coverage.probtp },
  dgfip: { endpoint: 'dgfip.attestation_fiscale', covered: (c) => c.coverage.dgfip },
  cibtp: { endpoint: 'cibtp.attestation', covered: (c) => c.coverage.cibtp },
  inpi_rne: { endpoint: 'inpi.extrait_rne', covered: (c) => c.coverage.rne },
};

export function endpointOfPool(pool: RateLimitPoolId): EndpointId {
  return POOL_ENDPOINT[pool].endpoint;
}

/** `jobsPerLimit` windows' worth of distinct identifiers per pool (jobs = limit × jobsPerLimit). */
export function buildWorkloads(companies: SyntheticCompanies, jobsPerLimit: number): PoolWorkload[] {
  return POOL_ORDER.map((pool) => {
    const { endpoint, covered } = POOL_ENDPOINT[pool];
    const limit = RATE_LIMIT_POOLS[pool].limit;
    const wanted = limit * jobsPerLimit;
    const kind = ENDPOINTS[endpoint].identifier;
    const identifiers: string[] = [];
    const fallback: string[] = [];
    for (const company of companies.all()) {
      if (identifiers.length >= wanted) break;
      const establishment = company.establishments[0];
      const id = kind === 'siret' ? establishment?.siret : company.siren;
      if (!id) continue;
      if (company.ceasedOn === null && covered(company)) identifiers.push(id);
      else if (fallback.length < wanted) fallback.push(id);
    }
    // a population too small for the coverage asked: complete with companies the provider does not know (404s)
    while (identifiers.length < wanted && fallback.length > 0) identifiers.push(fallback.shift() as string);
    if (identifiers.length < wanted) throw new Error(`not enough synthetic companies for pool ${pool}`);
    return { pool, endpoint, limit, identifiers };
  });
}
