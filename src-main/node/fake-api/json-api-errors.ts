// The error answers of the fake API, in API Entreprise's JSON:API shape
// `{"errors":[{"code","title","detail","source"?,"meta"}]}`. Codes, titles and details follow the
// examples of openapi.yaml (401/403/404/409/422/429/502/504 of every path); `source` is present
// only when a parameter is at fault, as in the contract's examples.
import type { ProviderInfo } from './endpoint-providers';

export interface JsonApiError {
  code: string;
  title: string;
  detail: string;
  source?: { parameter: string };
  meta: Record<string, string | number>;
}

export interface ErrorAnswer {
  status: number;
  body: { errors: JsonApiError[] };
}

function answer(status: number, error: JsonApiError): ErrorAnswer {
  return { status, body: { errors: [error] } };
}

const UNPROCESSABLE = 'Entité non traitable';

export function invalidToken(): ErrorAnswer {
  return answer(401, {
    code: '00101',
    title: 'Interdit',
    detail: "Votre token n'est pas valide ou n'est pas renseigné",
    source: { parameter: 'token' },
    meta: {},
  });
}

export function expiredToken(): ErrorAnswer {
  return answer(401, {
    code: '00103',
    title: 'Jeton expiré',
    detail: 'Votre token est expiré. Vous devez refaire une demande',
    source: { parameter: 'token' },
    meta: {},
  });
}

export function blacklistedToken(): ErrorAnswer {
  return answer(401, {
    code: '00105',
    title: 'Jeton sur liste noire',
    detail:
      'Votre jeton est sur liste noire, celui-ci a certainement été divulgué sur un canal non-sécurisé. Vous pouvez trouver un jeton valide sur votre espace personnel: https://entreprise.api.gouv.fr/compte',
    source: { parameter: 'token' },
    meta: {},
  });
}

export function insufficientPrivileges(): ErrorAnswer {
  return answer(403, {
    code: '00100',
    title: 'Privilèges insuffisants',
    detail: 'Votre token est valide mais vos privilèges sont insuffisants. Listez vos privilèges sur /v2/privileges',
    source: { parameter: 'token' },
    meta: {},
  });
}

export type TraceParameter = 'context' | 'object' | 'recipient';

/** openapi.yaml: 00201 context, 00202 object, 00203 recipient (missing_mandatory_params_* examples). */
export const TRACE_PARAMETER_CODES: Record<TraceParameter, string> = {
  context: '00201',
  object: '00202',
  recipient: '00203',
};

export function missingParameter(parameter: TraceParameter): ErrorAnswer {
  return answer(422, {
    code: TRACE_PARAMETER_CODES[parameter],
    title: UNPROCESSABLE,
    detail: `Le paramètre ${parameter} est obligatoire`,
    source: { parameter },
    meta: {},
  });
}

/**
 * A present but unusable trace parameter (recipient that is not a SIRET, object of 50 characters or
 * more). The contract only shows the "missing" examples; the same code is used, with its own detail.
 */
export function invalidParameter(parameter: TraceParameter, detail: string): ErrorAnswer {
  return answer(422, { code: TRACE_PARAMETER_CODES[parameter], title: UNPROCESSABLE, detail, source: { parameter }, meta: {} });
}

export type IdentifierParameter = 'siren' | 'siret' | 'id';

const IDENTIFIER_ERRORS: Record<IdentifierParameter, { code: string; detail: string }> = {
  siren: { code: '00301', detail: "Le numéro de siren n'est pas correctement formatté" },
  siret: { code: '00302', detail: "Le numéro de siret n'est pas correctement formatté" },
  id: { code: '00333', detail: "Le numéro de siren ou le numéro d'association indiqué n'est pas correctement formatté" },
};

export function invalidIdentifier(parameter: IdentifierParameter): ErrorAnswer {
  const { code, detail } = IDENTIFIER_ERRORS[parameter];
  return answer(422, { code, title: UNPROCESSABLE, detail, source: { parameter }, meta: {} });
}

export function notFound(provider: ProviderInfo): ErrorAnswer {
  return answer(404, {
    code: `${provider.codePrefix}003`,
    title: 'Entité non trouvée',
    detail:
      "Le ou les paramètre(s) d'entrée n'existent pas, ne sont pas connus, ou ne comportent aucune information pour cet appel. Veuillez vérifier que votre recherche est couverte par le périmètre de l'API.",
    meta: { provider: provider.name },
  });
}

export function tooManyRequests(): ErrorAnswer {
  return answer(429, { code: '00429', title: 'Trop de requêtes', detail: 'Vous avez effectué trop de requêtes', meta: {} });
}

export function conflict(): ErrorAnswer {
  return answer(409, {
    code: '00015',
    title: 'Conflit',
    detail:
      "Une requête associé à votre jeton est déjà en cours de traitement pour ces paramètres. Veuillez attendre la fin du traitement avant d'effectuer une nouvelle requête.",
    meta: {},
  });
}

/** A 502 from the provider; URSSAF's "processing" error is the one the brief's retry logic is built on. */
export function providerError(provider: ProviderInfo, retryInSeconds: number): ErrorAnswer {
  if (provider.codePrefix === '04') {
    return answer(502, {
      code: '04502',
      title: 'Demande de traitement logiciel en cours',
      detail: 'Une erreur informatique a eu lieu, une demande de traitement par le logiciel est en cours.',
      meta: { provider: provider.name, retry_in: retryInSeconds },
    });
  }
  return answer(502, {
    code: `${provider.codePrefix}999`,
    title: 'Erreur inconnue du fournisseur de données',
    detail:
      "La réponse retournée par le fournisseur de données est invalide et inconnue de notre service. L'équipe technique a été notifiée de cette erreur pour investigation.",
    meta: { provider: provider.name, retry_in: retryInSeconds },
  });
}

/** The contract documents no 503 body: the provider's "service non disponible" code is reused. */
export function providerUnavailable(provider: ProviderInfo): ErrorAnswer {
  return answer(503, {
    code: `${provider.codePrefix}001`,
    title: 'Service non disponible',
    detail: 'Service du fournisseur de données temporairement indisponible ou en maintenance.',
    meta: { provider: provider.name },
  });
}

export function gatewayTimeout(provider: ProviderInfo): ErrorAnswer {
  return answer(504, {
    code: `${provider.codePrefix}002`,
    title: 'Intermédiaire hors-délai',
    detail: "Temps d'attente d'une réponse du fournisseur de données écoulé.",
    meta: { provider: provider.name },
  });
}

/** Not an API Entreprise path: the real server answers 404 too. */
export function unknownRoute(): ErrorAnswer {
  return answer(404, { code: '00404', title: 'Ressource non trouvée', detail: "Cette route n'existe pas", meta: {} });
}

export function methodNotAllowed(): ErrorAnswer {
  return answer(405, { code: '00405', title: 'Méthode non autorisée', detail: 'Seules les requêtes GET sont acceptées', meta: {} });
}
