import { useCallback, useEffect, useRef, useState } from 'react';
import type { SupplierDetail } from '../../../src-main/common/ipc-contract';
import { formatIdentifier } from '../../../src-main/common/identifiers';
import { useSupplierNavigation } from '../app/supplier-navigation';
import { errorMessage, invoke } from '../bridge/vigie-client';
import { formatDay } from '../ui/dates';
import { formatDateTime } from '../ui/format';
import { LiveMessages } from '../ui/LiveMessages';
import { ScreenHeader } from '../ui/ScreenHeader';
import { RefreshNowButton } from './RefreshNowButton';
import { DocumentViewer } from '../viewer/DocumentViewer';
import { IdentityForm } from './IdentityForm';
import {
  ADMINISTRATIVE_STATUS_WORDS,
  ATTESTATION_STATE_TONE,
  ATTESTATION_STATE_WORDS,
  isProtectedDiffusion,
  outcomeWords,
  PROTECTED_DATA,
  shownValue,
} from './supplier-words';

export const SUPPLIER_SCREEN_TITLE = 'Fiche fournisseur';

type Attestation = SupplierDetail['attestations'][number];

interface SupplierScreenProps {
  id: number;
  title: string;
}

interface OpenDocument {
  id: number;
  title: string;
}

/** « Fiche fournisseur »: identity (editable), company, establishments, attestations and calls. */
export function SupplierScreen({ id, title }: SupplierScreenProps) {
  const navigation = useSupplierNavigation();
  const [detail, setDetail] = useState<SupplierDetail | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [openDocument, setOpenDocument] = useState<OpenDocument | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let current = true;
    invoke('supplier.detail', { id }).then(
      (answer) => {
        if (current) setDetail(answer);
      },
      (failure: unknown) => {
        if (current) {
          setError(errorMessage(failure));
          setDetail(null);
        }
      },
    );
    return () => {
      current = false;
    };
  }, [id, reload]);

  const onSaved = useCallback(() => {
    setError(null);
    setStatus('Modifications enregistrées.');
    setReload((token) => token + 1);
  }, []);
  const onSaveFailed = useCallback((message: string) => {
    setStatus(null);
    setError(message);
  }, []);
  const closeDocument = useCallback(() => setOpenDocument(null), []);

  const back = (
    <button type="button" onClick={navigation.close}>
      <span aria-hidden="true">← </span>Retour au registre
    </button>
  );
  const onRefreshMessage = (nextStatus: string | null, nextError: string | null) => {
    setStatus(nextStatus);
    setError(nextError);
  };

  if (detail === undefined) {
    return (
      <div className="screen">
        <ScreenHeader title={title}>{back}</ScreenHeader>
        <p aria-live="polite">Chargement de la fiche…</p>
      </div>
    );
  }
  if (detail === null) {
    return (
      <div className="screen">
        <ScreenHeader title={title}>{back}</ScreenHeader>
        <LiveMessages error={error ?? 'Ce fournisseur n’existe plus dans le registre.'} status={null} />
      </div>
    );
  }

  const { supplier, company, freshness } = detail;
  const ceased = company?.administrativeStatus === 'ceased';
  const latest = detail.attestations.filter((a) => a.latest);
  const history = detail.attestations.filter((a) => !a.latest);

  return (
    <div className="screen supplier-screen">
      <ScreenHeader title={title}>
        {back}
        <RefreshNowButton id={supplier.id} onDone={() => setReload((token) => token + 1)} onMessage={onRefreshMessage} />
      </ScreenHeader>
      <div className="supplier-heading">
        <h2 className="supplier-name">{supplier.name.trim() === '' ? '(raison sociale à compléter)' : supplier.name}</h2>
        <p className="supplier-ids">
          <span>
            SIREN <span className="mono">{formatIdentifier(supplier.siren)}</span>
          </span>
          {supplier.siret ? (
            <span>
              SIRET <span className="mono">{formatIdentifier(supplier.siret)}</span>
            </span>
          ) : null}
          <span className={supplier.active ? 'badge badge-yes' : 'badge badge-no'}>{supplier.active ? 'Actif' : 'Inactif'}</span>
        </p>
        {freshness && (freshness.dataAsOf !== null || freshness.lastError !== null) ? (
          <p className="freshness">
            {freshness.dataAsOf !== null ? <span>{dataAsOfWords(freshness.dataAsOf)}</span> : null}
            {freshness.lastError !== null ? <span className="freshness-error">Dernière erreur : {freshness.lastError}</span> : null}
          </p>
        ) : null}
      </div>

      {ceased ? (
        <div className="banner banner-bad ceased-banner" role="note">
          <span className="banner-icon" aria-hidden="true">
            !
          </span>
          <p className="banner-text">
            <strong>Entreprise cessée</strong>
            {company?.ceasedOn ? ` depuis le ${formatDay(company.ceasedOn)}` : ''} : ne lui confiez plus de commande.
          </p>
        </div>
      ) : null}

      <LiveMessages error={error} status={status} onDismissError={() => setError(null)} />

      <div className="supplier-grid">
        <section className="card" aria-labelledby="fiche-identite">
          <h2 id="fiche-identite">Identité dans le registre</h2>
          <IdentityForm supplier={supplier} onSaved={onSaved} onFailed={onSaveFailed} />
        </section>

        <div className="supplier-column">
          <section className="card" aria-labelledby="fiche-entreprise">
            <h2 id="fiche-entreprise">Entreprise (INSEE)</h2>
            {company === null ? (
              <p className="muted">Aucune donnée n’a encore été obtenue de l’INSEE pour cette entreprise.</p>
            ) : (
              <dl className="facts">
                <dt>Dénomination</dt>
                <dd>{shownValue(company.name)}</dd>
                <dt>Situation</dt>
                <dd>
                  {ceased ? (
                    <span className="state-badge state-bad">
                      Cessée{company.ceasedOn ? ` le ${formatDay(company.ceasedOn)}` : ''}
                    </span>
                  ) : (
                    <span className={company.administrativeStatus === 'active' ? 'state-badge state-good' : 'state-badge state-neutral'}>
                      {ADMINISTRATIVE_STATUS_WORDS[company.administrativeStatus ?? 'unknown'] ?? shownValue(company.administrativeStatus)}
                    </span>
                  )}
                </dd>
                <dt>Forme juridique</dt>
                <dd>{shownValue(company.legalForm)}</dd>
                <dt>Activité (APE)</dt>
                <dd>{shownValue(company.activityCode)}</dd>
                <dt>Diffusion</dt>
                <dd>{isProtectedDiffusion(company.diffusion) ? PROTECTED_DATA : 'Données publiques'}</dd>
                <dt>Obtenu le</dt>
                <dd>{formatDateTime(company.fetchedAt)}</dd>
              </dl>
            )}
          </section>

          <section className="card" aria-labelledby="fiche-etablissements">
            <h2 id="fiche-etablissements">Établissements</h2>
            {detail.establishments.length === 0 ? (
              <p className="muted">Aucun établissement connu.</p>
            ) : (
              <ul className="plain-list">
                {detail.establishments.map((e) => (
                  <li key={e.siret} className="establishment">
                    <span className="mono">{formatIdentifier(e.siret)}</span>
                    {e.isHeadOffice ? <span className="tag">Siège</span> : null}
                    {e.closedOn || e.administrativeStatus === 'ceased' ? (
                      <span className="state-badge state-bad">Fermé{e.closedOn ? ` le ${formatDay(e.closedOn)}` : ''}</span>
                    ) : null}
                    <span className="establishment-address">
                      {[e.name, e.street, [e.postalCode, e.city].filter(Boolean).join(' ')]
                        .filter((part): part is string => part !== null && part !== '')
                        .map((part) => shownValue(part))
                        .join(' — ') || '—'}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      </div>

      <section className="card" aria-labelledby="fiche-attestations">
        <h2 id="fiche-attestations">Attestations</h2>
        {latest.length === 0 ? (
          <p className="muted">Aucune attestation n’a encore été obtenue pour ce fournisseur.</p>
        ) : (
          <ul className="attestation-list">
            {latest.map((attestation) => (
              <li key={attestation.id}>
                <AttestationCard attestation={attestation} onView={setOpenDocument} />
              </li>
            ))}
          </ul>
        )}
        {history.length > 0 ? (
          <details className="disclosure">
            <summary>Historique des attestations ({history.length})</summary>
            <table className="report-table">
              <caption className="visually-hidden">Attestations précédentes</caption>
              <thead>
                <tr>
                  <th scope="col">Attestation</th>
                  <th scope="col">État</th>
                  <th scope="col">Validité</th>
                  <th scope="col">Obtenue le</th>
                  <th scope="col">Document</th>
                </tr>
              </thead>
              <tbody>
                {history.map((a) => (
                  <tr key={a.id}>
                    <td>{a.label}</td>
                    <td>{ATTESTATION_STATE_WORDS[a.state]}</td>
                    <td>{validityWords(a)}</td>
                    <td>{formatDateTime(a.fetchedAt)}</td>
                    <td>
                      {a.document ? (
                        <button
                          type="button"
                          className="button-link"
                          onClick={() => setOpenDocument({ id: a.document?.id ?? 0, title: `${a.label} du ${formatDay(a.fetchedAt)}` })}
                        >
                          Voir le document<span className="visually-hidden"> ({a.label} du {formatDay(a.fetchedAt)})</span>
                        </button>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        ) : null}
      </section>

      <section className="card" aria-labelledby="fiche-appels">
        <h2 id="fiche-appels">Appels à API Entreprise</h2>
        {detail.calls.length === 0 ? (
          <p className="muted">Aucun appel n’a encore été fait pour ce fournisseur.</p>
        ) : (
          <div className="table-wrap">
            <table className="report-table">
              <caption className="visually-hidden">Derniers appels pour ce fournisseur</caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Point d’accès</th>
                  <th scope="col">Résultat</th>
                </tr>
              </thead>
              <tbody>
                {detail.calls.map((call, index) => (
                  <tr key={`${call.at}-${index}`}>
                    <td>{formatDateTime(call.at)}</td>
                    <td>{call.label}</td>
                    <td className={call.outcome === 'ok' ? 'outcome-ok' : 'outcome-error'}>
                      {outcomeWords(call.outcome)}
                      {call.httpStatus !== null && call.outcome !== 'ok' ? ` (HTTP ${call.httpStatus})` : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {openDocument ? <DocumentViewer documentId={openDocument.id} title={openDocument.title} onClose={closeDocument} /> : null}
    </div>
  );
}

function dataAsOfWords(value: string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(value) ? `Données au ${formatDay(value)}` : value;
}

function validityWords(a: Attestation): string {
  if (a.validFrom && a.validUntil) return `du ${formatDay(a.validFrom)} au ${formatDay(a.validUntil)}`;
  if (a.validUntil) return `jusqu’au ${formatDay(a.validUntil)}`;
  if (a.validFrom) return `depuis le ${formatDay(a.validFrom)}`;
  return '—';
}

function AttestationCard({ attestation: a, onView }: { attestation: Attestation; onView(document: OpenDocument): void }) {
  const viewButton = useRef<HTMLButtonElement>(null);
  const headingId = `attestation-${a.id}`;
  return (
    <article className="attestation" aria-labelledby={headingId}>
      <div className="attestation-head">
        <h3 id={headingId}>{a.label}</h3>
        <span className={`state-badge ${ATTESTATION_STATE_TONE[a.state]}`}>{ATTESTATION_STATE_WORDS[a.state]}</span>
      </div>
      <dl className="facts">
        <dt>Validité</dt>
        <dd>{validityWords(a)}</dd>
        {a.issuedOn ? (
          <>
            <dt>Délivrée le</dt>
            <dd>{formatDay(a.issuedOn)}</dd>
          </>
        ) : null}
        {a.periodAnalyzed ? (
          <>
            <dt>Période analysée</dt>
            <dd>jusqu’au {formatDay(a.periodAnalyzed)}</dd>
          </>
        ) : null}
        {a.securityCode ? (
          <>
            <dt>Code de sécurité</dt>
            <dd>
              <span className="mono security-code">{a.securityCode}</span>
              <span className="fact-detail">
                Ce code permet à quiconque de vérifier l’authenticité de l’attestation sur le site de l’URSSAF.
              </span>
            </dd>
          </>
        ) : null}
        <dt>Obtenue le</dt>
        <dd>{formatDateTime(a.fetchedAt)}</dd>
      </dl>
      {a.document ? (
        <button
          ref={viewButton}
          type="button"
          className="button-primary"
          onClick={() => onView({ id: a.document?.id ?? 0, title: a.label })}
        >
          Voir le document<span className="visually-hidden"> : {a.label}</span>
        </button>
      ) : null}
    </article>
  );
}
