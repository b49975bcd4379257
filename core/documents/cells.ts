/**
 * Spreadsheet formula injection: a cell starting with = + - @ (or tab / CR) is
 * prefixed with a quote so Excel/Sheets show it as text (OWASP). Phones such as
 * "+9198..." therefore export as "'+9198...". Every CSV and XLSX export uses it.
 */
export const neutralise = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
