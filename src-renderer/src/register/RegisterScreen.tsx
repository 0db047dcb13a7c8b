import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { ImportReport, RegisterStats, Supplier, SupplierSort } from '../../../src-main/common/ipc-contract';
import { useSupplierNavigation } from '../app/supplier-navigation';
import { AddSupplierDialog } from './AddSupplierDialog';
import { saveRegisterView, savedRegisterView } from './register-view-state';
import { errorMessage, invoke } from '../bridge/vigie-client';
import { ImportWizard, type ChosenFile } from '../import/ImportWizard';
import { formatCount, plural, quoted } from '../ui/format';
import { useDebouncedValue } from '../ui/use-debounced-value';
import type { ScreenProps } from '../app/screen-props';
import { ScreenHeader } from '../ui/ScreenHeader';
import { SupplierTable } from './SupplierTable';
import { useSupplierPages, type Activity, type SupplierFilter, type ComplianceFilter } from './use-supplier-pages';
import { COMPLIANCE_LABELS } from '../../../src-main/common/attestation-labels';

const SEARCH_DEBOUNCE_MS = 120;

const SORT_LABELS: Readonly<Record<SupplierSort, string>> = {
  name: 'Raison sociale',
  siren: 'SIRET/SIREN',
  accountingCode: 'Code tiers',
  city: 'Ville',
  updatedAt: 'Dernière modification',
};
const SORTS = Object.keys(SORT_LABELS) as SupplierSort[];

const ACTIVITY_LABELS: Readonly<Record<Activity, string>> = { all: 'Tous', active: 'Actifs', inactive: 'Inactifs' };
const ACTIVITIES = Object.keys(ACTIVITY_LABELS) as Activity[];
const COMPLIANCE_STATES = Object.keys(COMPLIANCE_LABELS) as (keyof typeof COMPLIANCE_LABELS)[];
const COMPLIANCE_FILTERS: readonly ComplianceFilter[] = ['', ...COMPLIANCE_STATES];

type Busy = 'choosing' | 'exporting' | null;

/** "Registre des tiers": search, filters, the virtualized table, CSV import and export. */
export function RegisterScreen({ title }: ScreenProps) {
  const searchId = useId();
  const [initialView] = useState(savedRegisterView);
  const [text, setText] = useState(initialView.text);
  const [activity, setActivity] = useState<Activity>(initialView.activity);
  const [tag, setTag] = useState(initialView.tag);
  const [compliance, setCompliance] = useState<ComplianceFilter>(initialView.compliance);
  const [sort, setSort] = useState<SupplierSort>(initialView.sort);
  const [descending, setDescending] = useState(initialView.descending);
  const [adding, setAdding] = useState(false);
  const addButton = useRef<HTMLButtonElement>(null);
  const supplierNavigation = useSupplierNavigation();
  const [reloadToken, setReloadToken] = useState(0);
  const [stats, setStats] = useState<RegisterStats | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [importFile, setImportFile] = useState<ChosenFile | null>(null);
  const importButton = useRef<HTMLButtonElement>(null);

  const searchText = useDebouncedValue(text, SEARCH_DEBOUNCE_MS);
  const filter = useMemo<SupplierFilter>(
    () => ({ text: searchText.trim(), activity, tag, compliance, sort, descending }),
    [searchText, activity, tag, compliance, sort, descending],
  );
  const showError = useCallback((failure: unknown) => setError(errorMessage(failure)), []);

  useEffect(() => {
    saveRegisterView({ text, activity, tag, compliance, sort, descending });
  }, [text, activity, tag, compliance, sort, descending]);

  const openSupplier = useCallback((supplier: Supplier) => supplierNavigation.open(supplier.id), [supplierNavigation]);
  const closeAdd = useCallback(() => setAdding(false), []);
  const onCreated = useCallback(
    (supplier: Supplier) => {
      setAdding(false);
      supplierNavigation.open(supplier.id);
    },
    [supplierNavigation],
  );
  const pages = useSupplierPages(filter, reloadToken, showError);

  useEffect(() => {
    let current = true;
    invoke('register.stats', {}).then(
      (answer) => {
        if (current) setStats(answer);
      },
      (failure: unknown) => {
        if (current) showError(failure);
      },
    );
    return () => {
      current = false;
    };
  }, [reloadToken, showError]);

  const onSort = (next: SupplierSort) => {
    if (next === sort) {
      setDescending(!descending);
    } else {
      setSort(next);
      setDescending(false);
    }
  };

  const chooseSort = (value: string) => {
    const next = SORTS.find((candidate) => candidate === value);
    if (!next) return;
    setSort(next);
    // the most recent changes are what one looks for first
    setDescending(next === 'updatedAt');
  };

  const startImport = async () => {
    setBusy('choosing');
    setError(null);
    try {
      const chosen = await invoke('csv.chooseImportFile', {});
      // null: the user closed the file picker, nothing to say
      if (chosen) {
        setStatus(null);
        setImportFile(chosen);
      }
    } catch (failure) {
      showError(failure);
    } finally {
      setBusy(null);
    }
  };

  const onImported = useCallback((report: ImportReport) => {
    setStatus(
      `Import de ${quoted(report.fileName)} terminé : ${plural(report.inserted, 'créé', 'créés')}, ` +
        `${formatCount(report.updated)} mis à jour, ${plural(report.unchanged, 'inchangé', 'inchangés')}, ` +
        `${plural(report.rejected.length, 'rejeté', 'rejetés')}.`,
    );
    setReloadToken((token) => token + 1);
  }, []);

  const closeImport = useCallback(() => setImportFile(null), []);

  const exportRegister = async () => {
    setBusy('exporting');
    setError(null);
    try {
      const written = await invoke('csv.exportRegister', {});
      if (written) {
        setStatus(`${plural(written.rows, 'fournisseur exporté', 'fournisseurs exportés')} dans ${written.fileName}`);
      }
    } catch (failure) {
      showError(failure);
    } finally {
      setBusy(null);
    }
  };

  const registerIsEmpty = stats !== null && stats.suppliers === 0;
  const filtered = filter.text !== '' || filter.activity !== 'all' || filter.tag !== '' || filter.compliance !== '';
  const found = pages.total === 0 ? 'Aucun fournisseur' : plural(pages.total ?? 0, 'fournisseur', 'fournisseurs');
  const countText =
    pages.total === null
      ? 'Chargement…'
      : filtered && stats !== null
        ? `${found} sur ${formatCount(stats.suppliers)}`
        : found;

  return (
    <div className="screen screen-fill">
      <ScreenHeader title={title}>
          <button ref={addButton} type="button" className="button-primary" onClick={() => setAdding(true)}>
            Ajouter un fournisseur
          </button>
          <button
            ref={importButton}
            type="button"
            onClick={() => void startImport()}
            disabled={busy !== null}
          >
            {busy === 'choosing' ? 'Choix du fichier…' : 'Importer un CSV'}
          </button>
          <button type="button" onClick={() => void exportRegister()} disabled={busy !== null}>
            {busy === 'exporting' ? 'Export en cours…' : 'Exporter en CSV'}
          </button>
      </ScreenHeader>

      <div className="messages">
        <div role="alert" className={error ? 'alert' : 'alert alert-empty'}>
          {error ? (
            <>
              <span>{error}</span>
              <button type="button" className="button-quiet" onClick={() => setError(null)}>
                Masquer
              </button>
            </>
          ) : null}
        </div>
        <div role="status" className={status ? 'status' : 'status status-empty'}>
          {status}
        </div>
      </div>

      <div className="filters" role="search" aria-label="Recherche et filtres">
        <div className="field field-search">
          <label htmlFor={searchId}>Rechercher un fournisseur</label>
          <input
            id={searchId}
            type="search"
            value={text}
            onChange={(event) => setText(event.target.value)}
            placeholder="Raison sociale, SIRET, SIREN, ville, code tiers…"
            autoComplete="off"
            spellCheck={false}
            maxLength={200}
          />
        </div>
        <div className="field">
          <label htmlFor={`${searchId}-activity`}>Activité</label>
          <select
            id={`${searchId}-activity`}
            value={activity}
            onChange={(event) => setActivity(ACTIVITIES.find((a) => a === event.target.value) ?? 'all')}
          >
            {ACTIVITIES.map((value) => (
              <option key={value} value={value}>
                {ACTIVITY_LABELS[value]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${searchId}-compliance`}>Vigilance URSSAF</label>
          <select
            id={`${searchId}-compliance`}
            value={compliance}
            onChange={(event) => setCompliance(COMPLIANCE_FILTERS.find((c) => c === event.target.value) ?? '')}
          >
            <option value="">Tous les états</option>
            {COMPLIANCE_STATES.map((value) => (
              <option key={value} value={value}>
                {COMPLIANCE_LABELS[value]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${searchId}-tag`}>Étiquette</label>
          <select id={`${searchId}-tag`} value={tag} onChange={(event) => setTag(event.target.value)}>
            <option value="">Toutes</option>
            {/* keep a chosen tag listed even if the last supplier carrying it was changed */}
            {tag !== '' && !stats?.tags.includes(tag) ? <option value={tag}>{tag}</option> : null}
            {stats?.tags.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${searchId}-sort`}>Trier par</label>
          <select id={`${searchId}-sort`} value={sort} onChange={(event) => chooseSort(event.target.value)}>
            {SORTS.map((value) => (
              <option key={value} value={value}>
                {SORT_LABELS[value]}
              </option>
            ))}
          </select>
        </div>
      </div>

      <p className="result-count" aria-live="polite" aria-atomic="true">
        {countText}
      </p>

      {registerIsEmpty ? (
        <section className="empty-state" aria-labelledby="empty-title">
          <h2 id="empty-title">Le registre est vide</h2>
          <p>
            Pour commencer, exportez la liste des fournisseurs depuis votre logiciel de comptabilité au format CSV, puis
            chargez-la avec le bouton <strong>{quoted('Importer un CSV')}</strong> en haut de l’écran.
          </p>
          <p className="hint">
            Vigie reconnaît les colonnes usuelles (SIRET, SIREN, raison sociale, code tiers, ville…) et vous montre un
            aperçu avant d’enregistrer quoi que ce soit.
          </p>
        </section>
      ) : (
        <SupplierTable
          pages={pages}
          sort={sort}
          descending={descending}
          onSort={onSort}
          onOpen={openSupplier}
          noMatchMessage={
            filter.text !== ''
              ? `Aucun fournisseur ne correspond à ${quoted(filter.text)}.`
              : 'Aucun fournisseur ne correspond à ces filtres.'
          }
        />
      )}

      {adding ? <AddSupplierDialog onClose={closeAdd} onCreated={onCreated} returnFocusRef={addButton} /> : null}
      {importFile ? <ImportWizard file={importFile} onClose={closeImport} onImported={onImported} returnFocusRef={importButton} /> : null}
    </div>
  );
}
