import type { ReactNode } from "react";

export interface SummaryListRow {
  key: string;
  value: ReactNode;
}

/** A GOV.UK summary list: key–value rows. An empty value shows "Not recorded". */
export function SummaryList({
  rows,
  noBorder = false,
}: {
  rows: readonly SummaryListRow[];
  noBorder?: boolean;
}) {
  return (
    <dl className={noBorder ? "govuk-summary-list govuk-summary-list--no-border" : "govuk-summary-list"}>
      {rows.map((row) => (
        <div className="govuk-summary-list__row" key={row.key}>
          <dt className="govuk-summary-list__key">{row.key}</dt>
          <dd className="govuk-summary-list__value">
            {row.value === null || row.value === undefined || row.value === "" ? "Not recorded" : row.value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
