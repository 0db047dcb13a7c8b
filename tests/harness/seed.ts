import type { VigieCore } from '../../src-main/node/app/vigie-core';
import { SupplierRepository, type SupplierInput } from '../../src-main/node/register/supplier-repository';
import { validIdentifiers } from './fixtures';

/** Writes suppliers straight into the core's database, in one transaction, as an import would. */
export function seedSuppliers(core: VigieCore, inputs: Iterable<SupplierInput>): number {
  const repository = new SupplierRepository(core.db, () => '2025-01-15T09:00:00.000Z');
  let count = 0;
  core.db.transaction(() => {
    for (const input of inputs) {
      repository.upsert(input);
      count += 1;
    }
  })();
  return count;
}

/** `count` suppliers named « Fournisseur 000001 »… so that their order by name is known. */
export function* numberedSuppliers(count: number): Generator<SupplierInput> {
  for (let i = 1; i <= count; i += 1) {
    const { siren, siret } = validIdentifiers(i);
    yield {
      siren,
      siret,
      name: `Fournisseur ${String(i).padStart(6, '0')}`,
      accountingCode: `F${String(i).padStart(6, '0')}`,
      city: i % 2 === 0 ? 'Annecy' : 'Chambéry',
      tags: i % 10 === 0 ? ['travaux'] : [],
      active: i % 7 !== 0,
    };
  }
}

/** What the dashboard should count for the suppliers seedComplianceStates writes (URSSAF privilege granted). */
export interface ComplianceSeed {
  suppliers: number;
  active: number;
  counts: { a_jour: number; expire_bientot: number; expiree: number; refus: number; inconnue: number; non_habilite: number };
}

type AttestationSeed = { status: 'delivered' | 'refused' | 'unknown'; validInDays?: number } | null;

/** ISO date `days` after today (UTC, as the core computes "today"). */
function isoDateIn(days: number): string {
  const date = new Date();
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/**
 * Ten suppliers, nine of them active, whose latest URSSAF attestation puts at least one active
 * supplier in every compliance state (the « non habilité » state needs a token without the
 * URSSAF privilege: the unknown ones are counted there then).
 */
export function seedComplianceStates(core: VigieCore): ComplianceSeed {
  const plan: { name: string; active?: boolean; attestation: AttestationSeed }[] = [
    { name: 'Boulangerie Pâtissière Lefèvre', attestation: { status: 'delivered', validInDays: 120 } },
    { name: 'Société Générale d’Entretien', attestation: { status: 'delivered', validInDays: 200 } },
    { name: 'Élagage & Paysages de l’Ouest', attestation: { status: 'delivered', validInDays: 45 } },
    { name: 'Menuiserie Dubois', attestation: { status: 'delivered', validInDays: 10 } },
    { name: 'Transports Rapides du Léman', attestation: { status: 'delivered', validInDays: 25 } },
    { name: 'Imprimerie Savoyarde', attestation: { status: 'delivered', validInDays: -5 } },
    { name: 'Bâtiments Réunis', attestation: { status: 'refused' } },
    { name: 'Crèche Les Mômes', attestation: { status: 'unknown' } },
    { name: 'Nouveau Fournisseur SARL', attestation: null },
    { name: 'Ancien Prestataire', active: false, attestation: { status: 'refused' } },
  ];
  const base = 500;
  seedSuppliers(
    core,
    plan.map((entry, index) => ({
      ...validIdentifiers(base + index),
      name: entry.name,
      city: 'Annecy',
      active: entry.active ?? true,
    })),
  );
  const insert = core.db.prepare(
    `INSERT INTO attestations (siren, kind, endpoint, status, valid_until, fetched_at, raw_json)
     VALUES (?, 'urssaf_vigilance', 'urssaf.attestation_vigilance', ?, ?, ?, '{}')`,
  );
  const fetchedAt = new Date(Date.now() - 3_600_000).toISOString();
  plan.forEach((entry, index) => {
    if (!entry.attestation) return;
    const validUntil = entry.attestation.validInDays === undefined ? null : isoDateIn(entry.attestation.validInDays);
    insert.run(validIdentifiers(base + index).siren, entry.attestation.status, validUntil, fetchedAt);
  });
  return {
    suppliers: plan.length,
    active: plan.filter((entry) => entry.active !== false).length,
    counts: { a_jour: 3, expire_bientot: 2, expiree: 1, refus: 1, inconnue: 2, non_habilite: 0 },
  };
}
