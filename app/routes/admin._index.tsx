import { can, ensure } from "~/auth/authorise.server";
import { requireViewer } from "~/auth/viewer.server";
import type { Route } from "./+types/admin._index";

export const meta: Route.MetaFunction = () => [{ title: "Admin – Boardledger" }];

interface HubLink {
  href: string;
  label: string;
  description: string;
}

const ADMIN_LINKS: HubLink[] = [
  {
    href: "/admin/agencies",
    label: "Agencies and rate cards",
    description:
      "Partner agencies, their on-cost, overhead and mileage rates, and the salaries of their grades.",
  },
  {
    href: "/admin/people",
    label: "People",
    description: "Everyone who sits on boards: their agency, grade, job title and usual travel time.",
  },
  {
    href: "/admin/settings",
    label: "Workspace settings",
    description:
      "Working hours, default on-cost, overhead and mileage, and the thresholds for each meeting's verdict.",
  },
  { href: "/admin/users", label: "Users", description: "Who can sign in, their roles, and invitations." },
  { href: "/admin/audit", label: "Audit trail", description: "Who changed what, and when." },
  {
    href: "/admin/jobs",
    label: "Email and background jobs",
    description: "Invitations, minutes emails and reminders: waiting, sent and failed, with retry.",
  },
  {
    href: "/admin/security",
    label: "Security",
    description: "Two-factor sign-in and sessions across the workspace.",
  },
];

// Leaders read rate cards (to understand costs) but administer nothing.
const LEADER_LINKS: HubLink[] = [
  {
    href: "/admin/agencies",
    label: "Agencies and rate cards",
    description: "Partner agencies and the salaries of their grades, which price every meeting.",
  },
];

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  ensure(can.seeSalaries(viewer));
  return { links: can.administer(viewer) ? ADMIN_LINKS : LEADER_LINKS, workspaceName: viewer.workspace.name };
}

export default function AdminHub({ loaderData }: Route.ComponentProps) {
  const { links, workspaceName } = loaderData;
  return (
    <>
      <span className="govuk-caption-l">{workspaceName}</span>
      <h1 className="govuk-heading-l">Admin</h1>
      <ul className="govuk-list">
        {links.map((link) => (
          <li key={link.href} className="govuk-!-margin-bottom-6">
            <h2 className="govuk-heading-s govuk-!-margin-bottom-1">
              <a className="govuk-link" href={link.href}>
                {link.label}
              </a>
            </h2>
            <p className="govuk-body govuk-!-margin-bottom-0">{link.description}</p>
          </li>
        ))}
      </ul>
      <p className="govuk-body">
        <a className="govuk-link" href="/admin/rate-cards.csv" download>
          Download every agency's rate cards (CSV)
        </a>
      </p>
    </>
  );
}
