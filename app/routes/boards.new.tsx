import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, redirect } from "react-router";
import type { z } from "zod";
import { actorFor } from "~/admin/shared.server";
import { can, ensure } from "~/auth/authorise.server";
import { requireViewer } from "~/auth/viewer.server";
import { createBoard } from "~/boards/board-admin.server";
import { BOARD_FIELD_ORDER, BoardFields } from "~/boards/components/board-fields";
import { boardSchema, suggestSlug } from "~/boards/schemas";
import { ErrorSummary, SubmitButton } from "~/components/forms";
import type { Route } from "./+types/boards.new";

export const meta: Route.MetaFunction = () => [{ title: "Add a board – Boardledger" }];

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  ensure(can.administer(viewer));
  return null;
}

export async function action({ request }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  ensure(can.administer(viewer));
  const formData = await request.formData();
  // An empty short name is suggested from the board's name.
  const slug = formData.get("slug");
  const name = formData.get("name");
  if ((typeof slug !== "string" || slug.trim() === "") && typeof name === "string") {
    formData.set("slug", suggestSlug(name));
  }
  const submission = parseWithZod(formData, { schema: boardSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await createBoard(viewer.db, actorFor(viewer, request), submission.value);
  if (!result.ok) {
    return data(submission.reply({ fieldErrors: result.notFound ? {} : result.fieldErrors }), {
      status: 400,
    });
  }
  return redirect(`/boards/${result.id}`);
}

const constraint = getZodConstraint(boardSchema);

export default function NewBoard({ actionData }: Route.ComponentProps) {
  const [form, fields] = useForm<z.input<typeof boardSchema>>({
    id: "board",
    lastResult: actionData,
    defaultValue: {
      level: "local",
      quorum: "0",
      default_duration_minutes: "120",
      preparation_minutes: "30",
      visibility: "public",
      sensitive_items_public: "restricted",
    },
    // The short name may be left empty: one is made from the name.
    constraint: { ...constraint, slug: { ...constraint.slug, required: false } },
    shouldValidate: "onSubmit",
  });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href="/boards" className="govuk-back-link">
          Back to boards
        </a>
        <ErrorSummary form={form} fields={BOARD_FIELD_ORDER.map((name) => fields[name])} />
        <h1 className="govuk-heading-l">Add a board</h1>
        <Form method="post" {...getFormProps(form)}>
          <BoardFields fields={fields} />
          <SubmitButton>Add board</SubmitButton>
        </Form>
      </div>
    </div>
  );
}
