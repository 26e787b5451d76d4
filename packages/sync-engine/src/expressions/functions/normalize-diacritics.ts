/** Letters that Unicode decomposition does not split into base + mark, mapped as Cloud Sync does. */
const SPECIAL: Readonly<Record<string, string>> = {
  æ: 'ae',
  Æ: 'AE',
  ǣ: 'ae',
  Ǣ: 'AE',
  ø: 'oe',
  Ø: 'OE',
  œ: 'oe',
  Œ: 'OE',
  ß: 'ss',
  ł: 'l',
  Ł: 'L',
  ı: 'i',
  đ: 'd',
  Đ: 'D',
};

/**
 * Replaces letters with diacritics by their plain Latin equivalents (`Zoë` → `Zoe`, `Ørsted` → `OErsted`).
 * Only combining marks of the Latin diacritics block are dropped, then text is recomposed, so other
 * scripts (Japanese voicing marks, Hangul) come through unchanged.
 */
export function normalizeDiacritics(source: string): string {
  const special = source.replace(/[æÆǣǢøØœŒßłŁıđĐ]/g, (c) => SPECIAL[c] ?? c);
  return special
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC');
}
