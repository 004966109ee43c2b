/*
 * A horizontal bar chart drawn as SVG on the server: no chart library, no script. It is an
 * image with a title and a description for screen readers (role="img"); the figures it
 * shows are always also in a table beside it, which is the accessible alternative (WCAG
 * 1.1.1) and carries the links to the meetings behind each figure: an image holds no links
 * (axe: nested-interactive).
 */

export interface Bar {
  key: string | number;
  label: string;
  value: number;
  /** The value as the table shows it: "£1,240.50". */
  display: string;
}

const WIDTH = 640;
const LABEL_WIDTH = 220;
const VALUE_WIDTH = 110;
const BAR_HEIGHT = 22;
const GAP = 10;

function truncate(text: string, max = 32): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function BarChart({ id, title, bars }: { id: string; title: string; bars: readonly Bar[] }) {
  const max = Math.max(0, ...bars.map((bar) => bar.value));
  const plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const height = Math.max(1, bars.length) * (BAR_HEIGHT + GAP) + GAP;
  const summary =
    bars.length === 0
      ? "No figures for this period."
      : bars
          .map((bar) => `${bar.label}: ${bar.display}`)
          .slice(0, 5)
          .join("; ") + (bars.length > 5 ? `; and ${bars.length - 5} more in the table below.` : ".");
  return (
    <figure className="app-chart">
      <svg
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        viewBox={`0 0 ${WIDTH} ${height}`}
        width="100%"
        preserveAspectRatio="xMinYMin meet"
        className="app-chart__svg"
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{summary}</desc>
        {bars.map((bar, index) => {
          const y = GAP + index * (BAR_HEIGHT + GAP);
          const length = max > 0 ? Math.max(1, Math.round((bar.value / max) * plot)) : 0;
          const content = (
            <>
              <text
                x={LABEL_WIDTH - 8}
                y={y + BAR_HEIGHT / 2}
                textAnchor="end"
                dominantBaseline="middle"
                className="app-chart__label"
              >
                {truncate(bar.label)}
              </text>
              <rect
                x={LABEL_WIDTH}
                y={y}
                width={bar.value > 0 ? length : 0}
                height={BAR_HEIGHT}
                className="app-chart__bar"
              />
              <text
                x={LABEL_WIDTH + length + 6}
                y={y + BAR_HEIGHT / 2}
                dominantBaseline="middle"
                className="app-chart__value"
              >
                {bar.display}
              </text>
            </>
          );
          return <g key={bar.key}>{content}</g>;
        })}
      </svg>
      <figcaption className="govuk-body-s app-secondary-text">
        {title}. The figures are in the table below.
      </figcaption>
    </figure>
  );
}
