import type {
  BoardFrequency,
  BoardLevel,
  BoardType,
  MeetingFormat,
  MeetingStatus,
  MembershipRole,
} from "../../db/schema";
import type { TagColour } from "../components/tag";

/*
 * The words people see for the codes the database holds. Every enum has every value here
 * (the Record types make a missing one a type error), in sentence case.
 */

export const BOARD_TYPE_LABELS: Record<BoardType, string> = {
  lcjb: "Local Criminal Justice Board",
  csp: "Community Safety Partnership",
  reducing_reoffending: "Reducing Reoffending board",
  mappa_smb: "MAPPA strategic management board",
  youth_justice: "Youth justice board",
  regional_group: "Regional group",
  other: "Other",
};

export const BOARD_LEVEL_LABELS: Record<BoardLevel, string> = {
  local: "Local",
  regional: "Regional",
  national: "National",
};

export const BOARD_FREQUENCY_LABELS: Record<BoardFrequency, string> = {
  weekly: "Weekly",
  fortnightly: "Every 2 weeks",
  monthly: "Monthly",
  bimonthly: "Every 2 months",
  quarterly: "Quarterly",
  biannual: "Twice a year",
  annual: "Once a year",
  ad_hoc: "When needed",
};

export const MEMBERSHIP_ROLE_LABELS: Record<MembershipRole, string> = {
  chair: "Chair",
  vice_chair: "Vice-chair",
  secretary: "Secretary",
  member: "Member",
  adviser: "Adviser",
  observer: "Observer",
};

/** The order roles are listed in on a board's page. */
export const MEMBERSHIP_ROLE_ORDER: readonly MembershipRole[] = [
  "chair",
  "vice_chair",
  "secretary",
  "member",
  "adviser",
  "observer",
];

export const MEETING_FORMAT_LABELS: Record<MeetingFormat, string> = {
  in_person: "In person",
  virtual: "Virtual",
  hybrid: "Hybrid",
};

export const MEETING_STATUS_LABELS: Record<MeetingStatus, string> = {
  scheduled: "Scheduled",
  held: "Held",
  cancelled: "Cancelled",
};

export const MEETING_STATUS_COLOURS: Record<MeetingStatus, TagColour> = {
  scheduled: "blue",
  held: "green",
  cancelled: "grey",
};
