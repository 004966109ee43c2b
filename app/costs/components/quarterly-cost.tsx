import { DataTable, type DataTableColumn } from "~/components/data-table";
import { formatPence } from "~/format";
import { formatPenceOrNone } from "../insight-labels";
import { quarterLabel } from "../periods";
import { BarChart } from "./bar-chart";

/** A quarter's figures, as a board's rollup and the dashboard both give them. */
export interface QuarterFigures {
  quarter: string;
  held: number;
  costPence: number;
  outcomes: number;
  costPerOutcomePence: number | null;
}

const QUARTER_COLUMNS: DataTableColumn<QuarterFigures>[] = [
  { id: "quarter", header: "Quarter", rowHeader: true, cell: (q) => quarterLabel(q.quarter) },
  { id: "held", header: "Meetings held", numeric: true, cell: (q) => q.held },
  { id: "cost", header: "Cost", numeric: true, cell: (q) => formatPence(q.costPence) },
  { id: "outcomes", header: "Outcomes", numeric: true, cell: (q) => q.outcomes },
  {
    id: "perOutcome",
    header: "Cost per outcome",
    numeric: true,
    cell: (q) => formatPenceOrNone(q.costPerOutcomePence),
  },
];

/** Cost per outcome by quarter: the chart, and the same figures as a table beneath it. */
export function QuarterlyCostPerOutcome({
  id,
  title,
  quarters,
  caption,
  captionSize,
  emptyMessage,
}: {
  id: string;
  title: string;
  quarters: QuarterFigures[];
  caption: string;
  captionSize: "s" | "hidden";
  emptyMessage: string;
}) {
  return (
    <>
      <BarChart
        id={id}
        title={title}
        bars={quarters.map((q) => ({
          key: q.quarter,
          label: quarterLabel(q.quarter),
          value: q.costPerOutcomePence ?? 0,
          display: formatPenceOrNone(q.costPerOutcomePence),
        }))}
      />
      <DataTable
        caption={caption}
        captionSize={captionSize}
        columns={QUARTER_COLUMNS}
        rows={quarters}
        rowKey={(q) => q.quarter}
        emptyMessage={emptyMessage}
      />
    </>
  );
}
