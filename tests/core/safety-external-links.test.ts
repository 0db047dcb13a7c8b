// The allow-list in front of shell.openExternal: https pages of a few public services, nothing
// that could start a program or leave for a look-alike host.
import { describe, expect, it, vi } from 'vitest';
import { annuaireEntreprisesUrl, isAllowedExternalUrl, openExternalSafely } from '../../src-main/node/safety/external-links';

describe('isAllowedExternalUrl', () => {
  it.each([
    'https://entreprise.api.gouv.fr/compte',
    'https://entreprise.api.gouv.fr/catalogue/urssaf/attestation_vigilance',
    'https://annuaire-entreprises.data.gouv.fr/entreprise/130025265',
    'https://avis-situation-sirene.insee.fr/',
    'https://www.urssaf.fr/accueil/outils-documentation/outils/verifier-attestation.html',
    'https://www.impots.gouv.fr/professionnel',
    'https://ENTREPRISE.api.gouv.fr/compte?onglet=jetons#top',
  ])('allows %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(true);
  });

  it.each([
    ['plain http', 'http://entreprise.api.gouv.fr/compte'],
    ['a local file', 'file:///C:/Windows/System32/calc.exe'],
    ['a network share', 'smb://attacker/share'],
    ['a custom scheme', 'ms-msdt:/id PCWDiagnostic'],
    ['javascript', 'javascript:alert(1)'],
    ['a data URL', 'data:text/html,<script>alert(1)</script>'],
    ['a look-alike host', 'https://entreprise.api.gouv.fr.attacker.example/compte'],
    ['a subdomain', 'https://evil.entreprise.api.gouv.fr/'],
    ['a sibling domain', 'https://api.gouv.fr/'],
    ['credentials', 'https://user:pass@entreprise.api.gouv.fr/'],
    ['the @ trick', 'https://entreprise.api.gouv.fr@attacker.example/'],
    ['a port', 'https://entreprise.api.gouv.fr:8443/'],
    ['a trailing dot', 'https://entreprise.api.gouv.fr./'],
    ['a homoglyph', 'https://entreprіse.api.gouv.fr/'],
    ['a backslash', 'https:\\\\entreprise.api.gouv.fr\\compte'],
    ['a control character', 'https://entreprise.api.gouv.fr/\u0000'],
    ['a space', ' https://entreprise.api.gouv.fr/'],
    ['an IP', 'https://127.0.0.1/'],
    ['too long', `https://entreprise.api.gouv.fr/${'a'.repeat(3_000)}`],
    ['not a URL', 'entreprise.api.gouv.fr'],
    ['empty', ''],
  ])('refuses %s', (_label, url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });

  it('refuses what is not a string', () => {
    for (const value of [undefined, null, 42, {}, ['https://entreprise.api.gouv.fr/'], new URL('https://entreprise.api.gouv.fr/')]) {
      expect(isAllowedExternalUrl(value)).toBe(false);
    }
  });
});

describe('openExternalSafely', () => {
  it('opens an allowed URL (normalised), never a refused one, and reports a failing opener', async () => {
    const open = vi.fn(async () => {});
    expect(await openExternalSafely('https://entreprise.api.gouv.fr/compte', open)).toBe(true);
    expect(await openExternalSafely('file:///etc/passwd', open)).toBe(false);
    expect(open).toHaveBeenCalledTimes(1);
    expect(open).toHaveBeenCalledWith('https://entreprise.api.gouv.fr/compte');
    const failing = vi.fn(async () => {
      throw new Error('no browser');
    });
    expect(await openExternalSafely('https://entreprise.api.gouv.fr/compte', failing)).toBe(false);
  });

  it('builds annuaire-entreprises links from identifiers only', () => {
    expect(annuaireEntreprisesUrl('130025265')).toBe('https://annuaire-entreprises.data.gouv.fr/entreprise/130025265');
    expect(annuaireEntreprisesUrl('13002526500013')).toBe('https://annuaire-entreprises.data.gouv.fr/etablissement/13002526500013');
    expect(isAllowedExternalUrl(annuaireEntreprisesUrl('13002526500013'))).toBe(true);
    for (const bad of ['../../x', '1300252650001', '130025265?x=1', '']) expect(annuaireEntreprisesUrl(bad)).toBeNull();
  });
});
