import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, Link, redirect } from "react-router";
import type { z } from "zod";
import { actorFor } from "~/admin/shared.server";
import { can, ensure, notFound } from "~/auth/authorise.server";
import { requireViewer } from "~/auth/viewer.server";
import { requireRunnableBoard, setBoardArchived, updateBoard } from "~/boards/board-admin.server";
import { BOARD_FIELD_ORDER, BoardFields } from "~/boards/components/board-fields";
import { boardSchema } from "~/boards/schemas";
import { ErrorSummary, SubmitButton } from "~/components/forms";
import type { Route } from "./+types/boards.$boardId_.edit";

export const meta: Route.MetaFunction = ({ data }) => [
  { title: data ? `Edit ${data.board.name} – Boardledger` : "Boardledger" },
];

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const board = await requireRunnableBoard(viewer, params.boardId);
  return { board, canArchive: can.administer(viewer) };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const { id: boardId } = await requireRunnableBoard(viewer, params.boardId);
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "archive" || intent === "unarchive") {
    ensure(can.administer(viewer));
    const found = await setBoardArchived(viewer.db, actorFor(viewer, request), boardId, intent === "archive");
    if (!found) notFound();
    return redirect(`/boards/${boardId}`);
  }
  const submission = parseWithZod(formData, { schema: boardSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await updateBoard(viewer.db, actorFor(viewer, request), boardId, submission.value);
  if (!result.ok) {
    if (result.notFound) notFound();
    return data(submission.reply({ fieldErrors: result.fieldErrors }), { status: 400 });
  }
  return redirect(`/boards/${boardId}`);
}

export default function EditBoard({ loaderData, actionData }: Route.ComponentProps) {
  const { board, canArchive } = loaderData;
  const [form, fields] = useForm<z.input<typeof boardSchema>>({
    id: "board",
    lastResult: actionData,
    defaultValue: {
      name: board.name,
      slug: board.slug,
      type: board.type,
      level: board.level,
      terms_of_reference: board.terms_of_reference,
      quorum: String(board.quorum),
      default_duration_minutes: String(board.default_duration_minutes),
      preparation_minutes: String(board.preparation_minutes),
      frequency: board.frequency,
      visibility: board.visibility,
      sensitive_items_public: board.sensitive_items_public,
    },
    constraint: getZodConstraint(boardSchema),
    shouldValidate: "onSubmit",
  });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <Link to={`/boards/${board.id}`} className="govuk-back-link">
          Back to {board.name}
        </Link>
        <ErrorSummary form={form} fields={BOARD_FIELD_ORDER.map((name) => fields[name])} />
        <h1 className="govuk-heading-l">Edit {board.name}</h1>
        <Form method="post" {...getFormProps(form)}>
          <BoardFields fields={fields} />
          <SubmitButton>Save changes</SubmitButton>
        </Form>
        {canArchive && (
          <>
            <h2 className="govuk-heading-m">{board.archived_at ? "Archived" : "Archive this board"}</h2>
            <p className="govuk-body">
              {board.archived_at
                ? "This board is archived: it is not in the boards list and no meetings can be scheduled."
                : "An archived board leaves the boards list and no more meetings can be scheduled. Its records are kept."}
            </p>
            <Form method="post">
              {board.archived_at ? (
                <SubmitButton secondary name="intent" value="unarchive">
                  Unarchive board
                </SubmitButton>
              ) : (
                <SubmitButton secondary name="intent" value="archive">
                  Archive board
                </SubmitButton>
              )}
            </Form>
          </>
        )}
      </div>
    </div>
  );
}
