import { describe, expect, it } from 'vitest';
import {
  checkIdentifier,
  formatIdentifier,
  isValidSiren,
  isValidSiret,
  LA_POSTE_SIREN,
  luhnCheckDigit,
  luhnValid,
  normalizeIdentifier,
} from '../../src-main/common/identifiers';
import { makeInvalidSiret, makeSiren, makeSiret } from '../support/identifiers-fixture';

// Real, public identifiers: Société Générale's SIREN and head-office SIRET, DINUM's SIRET.
const SOCIETE_GENERALE_SIREN = '552120222';
const SOCIETE_GENERALE_SIRET = '55212022200013';
const DINUM_SIRET = '13002526500013';

describe('Luhn checksum', () => {
  it('accepts known valid identifiers', () => {
    expect(isValidSiren(SOCIETE_GENERALE_SIREN)).toBe(true);
    expect(isValidSiret(SOCIETE_GENERALE_SIRET)).toBe(true);
    expect(isValidSiret(DINUM_SIRET)).toBe(true);
  });

  it('rejects every single-digit change of a valid SIREN and SIRET', () => {
    for (const valid of [SOCIETE_GENERALE_SIREN, SOCIETE_GENERALE_SIRET, DINUM_SIRET, makeSiret(42, 17)]) {
      for (let position = 0; position < valid.length; position += 1) {
        for (let digit = 0; digit <= 9; digit += 1) {
          const changed = valid.slice(0, position) + String(digit) + valid.slice(position + 1);
          if (changed === valid) continue;
          expect(luhnValid(changed), `${changed} (from ${valid})`).toBe(false);
        }
      }
    }
  });

  it('rejects adjacent transpositions except 09/90, the one Luhn cannot see', () => {
    const valid = SOCIETE_GENERALE_SIRET;
    for (let i = 0; i + 1 < valid.length; i += 1) {
      const a = valid[i] as string;
      const b = valid[i + 1] as string;
      if (a === b) continue;
      const swapped = valid.slice(0, i) + b + a + valid.slice(i + 2);
      const invisible = (a === '0' && b === '9') || (a === '9' && b === '0');
      expect(luhnValid(swapped)).toBe(invisible);
    }
  });

  it('computes the check digit that makes any body valid', () => {
    for (let n = 0; n < 2000; n += 1) {
      const body = String(n * 7919).padStart(8, '0');
      expect(luhnValid(body + luhnCheckDigit(body))).toBe(true);
      expect(isValidSiren(makeSiren(n))).toBe(true);
      expect(isValidSiret(makeSiret(n, n))).toBe(true);
      expect(isValidSiret(makeInvalidSiret(n))).toBe(false);
    }
  });
});

describe('La Poste exception', () => {
  it('accepts any La Poste SIRET whatever its checksum', () => {
    for (let nic = 0; nic < 100; nic += 1) {
      const siret = LA_POSTE_SIREN + String(nic * 137).padStart(5, '0').slice(0, 5);
      expect(isValidSiret(siret)).toBe(true);
    }
    expect(luhnValid('35600000012345')).toBe(false);
    expect(isValidSiret('35600000012345')).toBe(true);
  });

  it('keeps checking La Poste SIREN itself and other SIRENs starting alike', () => {
    expect(isValidSiren(LA_POSTE_SIREN)).toBe(true);
    expect(isValidSiret('35600000112345')).toBe(luhnValid('35600000112345'));
  });
});

describe('normalisation and messages', () => {
  it('removes spaces, non-breaking spaces, dots and dashes', () => {
    expect(normalizeIdentifier(' 552 120 222 00013 ')).toBe(SOCIETE_GENERALE_SIRET);
    expect(normalizeIdentifier('552\u00a0120\u202f222')).toBe(SOCIETE_GENERALE_SIREN);
    expect(normalizeIdentifier('552.120.222-00013')).toBe(SOCIETE_GENERALE_SIRET);
    expect(normalizeIdentifier('552\t120\n222')).toBe(SOCIETE_GENERALE_SIREN);
  });

  it('classifies and explains in French', () => {
    expect(checkIdentifier('552 120 222')).toEqual({
      ok: true,
      kind: 'siren',
      value: SOCIETE_GENERALE_SIREN,
      siren: SOCIETE_GENERALE_SIREN,
    });
    expect(checkIdentifier('55212022200013')).toMatchObject({ ok: true, kind: 'siret', siren: SOCIETE_GENERALE_SIREN });
    expect(checkIdentifier('')).toMatchObject({ ok: false, reason: 'empty' });
    expect(checkIdentifier('   ')).toMatchObject({ ok: false, reason: 'empty' });
    expect(checkIdentifier('55212O222')).toMatchObject({ ok: false, reason: 'characters' });
    expect(checkIdentifier('5521202220')).toMatchObject({ ok: false, reason: 'length' });
    const wrong = checkIdentifier('552120223');
    expect(wrong).toMatchObject({ ok: false, reason: 'checksum' });
    expect(wrong.ok === false && wrong.message).toContain('SIREN');
    expect(checkIdentifier(SOCIETE_GENERALE_SIREN, 'siret')).toMatchObject({ ok: false, reason: 'length' });
    expect(checkIdentifier(SOCIETE_GENERALE_SIRET, 'siren')).toMatchObject({ ok: false, reason: 'length' });
    expect(checkIdentifier('１２３')).toMatchObject({ ok: false, reason: 'characters' });
  });

  it('formats for display', () => {
    expect(formatIdentifier(SOCIETE_GENERALE_SIREN)).toBe('552 120 222');
    expect(formatIdentifier(SOCIETE_GENERALE_SIRET)).toBe('552 120 222 00013');
    expect(formatIdentifier('12')).toBe('12');
  });
});
