import type { ReactNode } from "react";

/** GOV.UK tag colours ("blue" is the default tag, with no modifier class). */
export type TagColour =
  | "blue"
  | "green"
  | "purple"
  | "red"
  | "orange"
  | "teal"
  | "magenta"
  | "yellow"
  | "grey";

/** A GOV.UK tag, for a status: <Tag colour="green">Held</Tag>. */
export function Tag({ colour = "blue", children }: { colour?: TagColour; children: ReactNode }) {
  const className = colour === "blue" ? "govuk-tag" : `govuk-tag govuk-tag--${colour}`;
  return <strong className={className}>{children}</strong>;
}
