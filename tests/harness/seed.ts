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
