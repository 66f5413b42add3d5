/** The same figures as CSV and as an Excel workbook: `path` is the address without its extension. */
export function Downloads({ path, what }: { path: string; what: string }) {
  return (
    <p class="actions">
      <a class="button" href={`${path}.csv`} download>
        Download {what} (CSV)
      </a>
      <a class="button" href={`${path}.xlsx`} download>
        Download {what} (Excel)
      </a>
    </p>
  );
}
