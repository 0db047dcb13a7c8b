// The supplier screen is opened from the register (and after adding a supplier) rather than
// from the navigation bar: the shell shows it in place of the current screen.
import { createContext, useContext } from 'react';

export interface SupplierNavigation {
  /** Shows the « Fiche fournisseur » of this supplier. */
  open(id: number): void;
  /** Back to the screen it was opened from (the register keeps its search). */
  close(): void;
}

export const SupplierNavigationContext = createContext<SupplierNavigation>({
  open: () => undefined,
  close: () => undefined,
});

export function useSupplierNavigation(): SupplierNavigation {
  return useContext(SupplierNavigationContext);
}
