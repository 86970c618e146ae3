/** The .txt file of recovery codes: what they are, whose, when; then one code a line. */
export function recoveryCodesText(codes: readonly string[], email: string, heading: string, now = new Date()): string {
  return [heading, `${email} — ${now.toISOString().slice(0, 10)}`, '', ...codes, ''].join('\n');
}

/** People paste codes with spaces; the API wants six digits or a recovery code (it ignores case). */
export function normalizeCode(value: string): string {
  return value.replace(/\s/g, '');
}
