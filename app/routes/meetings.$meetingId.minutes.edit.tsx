import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { useEffect, useRef, useState } from "react";
import {
  data,
  Form,
  Link,
  redirect,
  type ShouldRevalidateFunctionArgs,
  useFetcher,
  useLocation,
} from "react-router";
import type { z } from "zod";
import { ActionLogReviewTables } from "~/actions/components/action-log-review";
import { actionLogReview } from "~/actions/review.server";
import { actorFor } from "~/admin/shared.server";
import { idParam } from "~/agenda/agenda.server";
import { requireViewer } from "~/auth/viewer.server";
import { SelectField } from "~/components/choice-fields";
import { ErrorSummary, type FieldLike, SubmitButton, TextAreaField, TextField } from "~/components/forms";
import { Tag } from "~/components/tag";
import { formatDate, formatDateTime, formatTime } from "~/format";
import { CLASSIFICATION_LABELS } from "~/meetings/schemas";
import { MinutesBreadcrumbs } from "~/minutes/components/breadcrumbs";
import {
  type EditorItem,
  getMinutesEditor,
  type MinutesContent,
  type Option,
  runnableMeeting,
  saveMinutes,
} from "~/minutes/minutes.server";
import {
  LOCKED_MESSAGE,
  MINUTES_STATUS_COLOURS,
  MINUTES_STATUS_LABELS,
  minutesSchema,
  STALE_MINUTES_MESSAGE,
} from "~/minutes/schemas";
import type { Route } from "./+types/meetings.$meetingId.minutes.edit";

/*
 * /meetings/:meetingId/minutes/edit: writing the minutes, one form for the whole meeting:
 * for each agenda item the discussion (Markdown), its decisions and the actions raised.
 * Works without JavaScript (Save draft); where JavaScript runs, the draft also saves itself
 * a few seconds after typing stops (each save is a version). The form carries the version
 * it was opened on: if someone else saved meanwhile, the save is refused and both texts are
 * shown, this person's in the form and the other beside it, to merge and save again.
 */

export const meta: Route.MetaFunction = ({ data }) => [
  {
    title: data
      ? `Edit minutes: ${data.meeting.boardName}, ${formatDate(data.meeting.startsAt)} – Boardledger`
      : "Edit minutes – Boardledger",
  },
];

/** How long after the last keystroke the draft saves itself. */
const AUTOSAVE_DELAY_MS = 4_000;

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const editor = await getMinutesEditor(viewer, idParam(params.meetingId));
  // Beside the "action log review" item: the actions it reviews.
  return { ...editor, review: await actionLogReview(viewer, editor.meeting.id) };
}

type Conflict = MinutesContent;

interface EditActionResult {
  result?: SubmissionResult<string[]>;
  conflict?: Conflict;
  autosaved?: { version: number; savedAt: Date };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const meetingId = idParam(params.meetingId);
  // Refused (404) before the form is read.
  await runnableMeeting(viewer, meetingId);
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: minutesSchema });
  if (submission.status !== "success") {
    return data<EditActionResult>({ result: submission.reply() }, { status: 400 });
  }
  const outcome = await saveMinutes(viewer, actorFor(viewer, request), meetingId, submission.value);
  if (outcome.ok) {
    if (submission.value.intent === "autosave") {
      return data<EditActionResult>({ autosaved: { version: outcome.version, savedAt: outcome.savedAt } });
    }
    return redirect(`/meetings/${meetingId}/minutes?done=saved`);
  }
  if (outcome.reason === "stale") {
    return data<EditActionResult>(
      { result: submission.reply({ formErrors: [STALE_MINUTES_MESSAGE] }), conflict: outcome.current },
      { status: 409 },
    );
  }
  if (outcome.reason === "invalid") {
    return data<EditActionResult>(
      { result: submission.reply({ fieldErrors: outcome.fieldErrors }) },
      { status: 400 },
    );
  }
  const message =
    outcome.reason === "locked"
      ? LOCKED_MESSAGE
      : outcome.reason === "cancelled"
        ? "This meeting was cancelled, so it has no minutes."
        : "Minutes can be written once the meeting has taken place.";
  return data<EditActionResult>({ result: submission.reply({ formErrors: [message] }) }, { status: 409 });
}

/** An autosave changes nothing else on the page: no need to reload its data. */
export function shouldRevalidate({ formData, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  if (formData?.get("intent") === "autosave") return false;
  return defaultShouldRevalidate;
}

export default function EditMinutes(props: Route.ComponentProps) {
  // Each navigation starts the form afresh from the latest answer.
  const location = useLocation();
  return <EditMinutesBody key={location.key} {...props} />;
}

function formValues(items: EditorItem[]) {
  return {
    items: items.map((item) => ({
      id: String(item.id),
      discussion: item.discussion,
      decisions: item.decisions.map((d) => ({ id: String(d.id), text: d.text })),
      actions: item.actions.map((a) => ({
        id: String(a.id),
        title: a.title,
        ownerAgency: String(a.ownerAgencyId),
        ownerPerson: a.ownerPersonId === null ? "" : String(a.ownerPersonId),
        dueDate: a.dueDate,
      })),
    })),
  };
}

function EditMinutesBody({ loaderData, actionData }: Route.ComponentProps) {
  const { meeting, minutes, writable, content, attendance, declarations, agencies, people, review } =
    loaderData;
  const last = actionData as EditActionResult | undefined;
  const conflict = last?.conflict;
  const [version, setVersion] = useState(conflict?.version ?? content.version);
  const [form, fields] = useForm<z.input<typeof minutesSchema>>({
    id: "minutes",
    lastResult: last?.result,
    defaultValue: { version: String(content.version), ...formValues(content.items) },
    constraint: getZodConstraint(minutesSchema),
    shouldValidate: "onSubmit",
  });
  const autosave = useAutosave(setVersion);
  const itemsById = new Map(content.items.map((item) => [item.id, item]));
  const theirsById = new Map((conflict?.items ?? []).map((item) => [item.id, item]));
  const itemFields = fields.items.getFieldList();

  const summaryFields: FieldLike[] = itemFields.flatMap((itemField) => {
    const set = itemField.getFieldset();
    const actionSets = set.actions.getFieldList().map((a) => a.getFieldset());
    const added = set.newAction.getFieldset();
    return [
      set.discussion,
      ...set.decisions.getFieldList().map((d) => d.getFieldset().text),
      set.newDecision,
      ...actionSets.flatMap((a) => [a.title, a.ownerAgency, a.ownerPerson, a.dueDate, a.remove]),
      added.title,
      added.ownerAgency,
      added.ownerPerson,
      added.dueDate,
    ];
  });

  const back = <MinutesBreadcrumbs meeting={meeting} minutesLink />;

  if (writable !== "ok" || (minutes && (minutes.status === "approved" || minutes.status === "published"))) {
    return (
      <>
        {back}
        <h1 className="govuk-heading-l">Edit the minutes</h1>
        <p className="govuk-body">
          {writable === "cancelled"
            ? "This meeting was cancelled, so it has no minutes."
            : writable === "not-started"
              ? "Minutes can be written once the meeting has taken place."
              : LOCKED_MESSAGE}
        </p>
        <Link className="govuk-button" to={`/meetings/${meeting.id}/minutes`}>
          Back to the minutes
        </Link>
      </>
    );
  }

  return (
    <>
      {back}
      <ErrorSummary form={form} fields={summaryFields} />
      {autosave.conflicted && (
        <div className="govuk-warning-text">
          <span className="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <strong className="govuk-warning-text__text">
            <span className="govuk-visually-hidden">Warning</span>
            Someone else has saved these minutes since you opened them, so your latest changes have not been
            saved. Press ‘Save draft’ to see both versions side by side and merge them.
          </strong>
        </div>
      )}

      <span className="govuk-caption-l">
        {meeting.boardName} · {formatDateTime(meeting.startsAt)}
      </span>
      <h1 className="govuk-heading-l">
        {minutes ? "Edit the minutes" : "Write the minutes"}{" "}
        {minutes && (
          <Tag colour={MINUTES_STATUS_COLOURS[minutes.status]}>{MINUTES_STATUS_LABELS[minutes.status]}</Tag>
        )}
      </h1>

      <details className="govuk-details">
        <summary className="govuk-details__summary">
          <span className="govuk-details__summary-text">Attendance and declarations of interest</span>
        </summary>
        <div className="govuk-details__text">
          <p className="govuk-body">
            Present:{" "}
            {attendance.present.map((p) => `${p.name} (${p.agency})`).join(", ") || "nobody recorded"}.
          </p>
          <p className="govuk-body">
            Apologies: {attendance.apologies.map((p) => `${p.name} (${p.agency})`).join(", ") || "none"}.
          </p>
          <p className="govuk-body">
            The minutes take attendance from the register as it is when you save.{" "}
            <Link className="govuk-link" to={`/meetings/${meeting.id}/register`}>
              Change the register
            </Link>
            .
          </p>
          <p className="govuk-body">
            Declarations of interest:{" "}
            {declarations.map((d) => `${d.name} (${d.item ?? "the whole meeting"})`).join(", ") ||
              "none recorded"}
            . The minutes take them as they are when you save.{" "}
            <Link className="govuk-link" to={`/meetings/${meeting.id}/declarations`}>
              Record declarations
            </Link>
            .
          </p>
        </div>
      </details>

      <Form
        method="post"
        {...getFormProps(form)}
        noValidate
        onInput={autosave.schedule}
        ref={autosave.formRef}
      >
        {/* The version this form is based on; an autosave moves it on. */}
        <input type="hidden" name="version" value={version} />
        <p className="govuk-body">
          Write in plain text or Markdown: **bold**, a line starting “- ” for a list, [link text](https://…).
          Raw HTML is shown as typed. A decision or action with its text cleared is removed when you save.
        </p>
        <p className="govuk-body app-no-print" aria-live="polite" role="status">
          {autosave.message}
        </p>

        {itemFields.map((itemField, i) => {
          const set = itemField.getFieldset();
          const id = Number(set.id.initialValue);
          const item = itemsById.get(id);
          const theirs = theirsById.get(id);
          const title = item ? `${item.position + 1}. ${item.title}` : `Item ${i + 1}`;
          return (
            <section className="app-minutes-edit__item" key={itemField.key} id={`item-${id}`}>
              <h2 className="govuk-heading-m">
                {title}
                {item?.classification === "official_sensitive" && (
                  <>
                    {" "}
                    <Tag colour="red">{CLASSIFICATION_LABELS.official_sensitive}</Tag>
                  </>
                )}
              </h2>
              <input type="hidden" name={set.id.name} value={String(id)} />
              {theirs && differs(theirs, set) ? (
                <Theirs theirs={theirs} conflict={conflict} agencies={agencies} people={people} />
              ) : null}
              {review && review.agendaItemId === id ? (
                <details className="govuk-details">
                  <summary className="govuk-details__summary">
                    <span className="govuk-details__summary-text">
                      {`The action log: ${review.open.length} open, ${review.closed.length} closed since the last meeting`}
                    </span>
                  </summary>
                  <div className="govuk-details__text">
                    <ActionLogReviewTables review={review} />
                  </div>
                </details>
              ) : null}
              <TextAreaField field={set.discussion} label={`Minutes of item ${i + 1}`} rows={7} spellCheck />

              <h3 className="govuk-heading-s">Decisions</h3>
              {set.decisions.getFieldList().map((decisionField, j) => {
                const d = decisionField.getFieldset();
                return (
                  <div key={decisionField.key}>
                    <input type="hidden" name={d.id.name} value={String(d.id.initialValue ?? "")} />
                    <TextAreaField field={d.text} label={`Decision ${j + 1}`} rows={2} />
                  </div>
                );
              })}
              <TextAreaField
                field={set.newDecision}
                label="Add a decision"
                hint="The decision as the board took it, for the decisions register"
                rows={2}
              />

              <h3 className="govuk-heading-s">Actions raised</h3>
              {set.actions.getFieldList().map((actionField, k) => {
                const a = actionField.getFieldset();
                const actionId = Number(a.id.initialValue);
                const updates = item?.actions.find((x) => x.id === actionId)?.updates ?? 0;
                return (
                  <fieldset className="govuk-fieldset govuk-!-margin-bottom-4" key={actionField.key}>
                    <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">
                      Action {k + 1}
                    </legend>
                    <input type="hidden" name={a.id.name} value={String(actionId)} />
                    <ActionFields set={a} agencies={agencies} people={people} label={`action ${k + 1}`} />
                    {updates > 0 ? (
                      <p className="govuk-body-s">
                        This action has progress updates, so it can be dropped in the{" "}
                        <Link className="govuk-link" to={`/actions/${actionId}`}>
                          action log
                        </Link>{" "}
                        but not removed here.
                      </p>
                    ) : (
                      <div className="govuk-form-group">
                        <div className="govuk-checkboxes govuk-checkboxes--small">
                          <div className="govuk-checkboxes__item">
                            <input
                              className="govuk-checkboxes__input"
                              id={a.remove.id}
                              name={a.remove.name}
                              type="checkbox"
                              value="on"
                              defaultChecked={a.remove.initialValue === "on"}
                            />
                            <label className="govuk-label govuk-checkboxes__label" htmlFor={a.remove.id}>
                              Remove this action
                            </label>
                          </div>
                        </div>
                      </div>
                    )}
                  </fieldset>
                );
              })}
              <fieldset className="govuk-fieldset govuk-!-margin-bottom-6">
                <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Add an action</legend>
                <ActionFields
                  set={set.newAction.getFieldset()}
                  agencies={agencies}
                  people={people}
                  label="the new action"
                />
              </fieldset>
            </section>
          );
        })}

        {itemFields.length === 0 && (
          <p className="govuk-body">
            The agenda has no items.{" "}
            <Link className="govuk-link" to={`/meetings/${meeting.id}/agenda`}>
              Add items to the agenda
            </Link>{" "}
            first.
          </p>
        )}

        <div className="govuk-button-group">
          <SubmitButton name="intent" value="save">
            Save draft
          </SubmitButton>
          <Link className="govuk-link" to={`/meetings/${meeting.id}/minutes`}>
            Back to the minutes
          </Link>
        </div>
      </Form>
    </>
  );
}

interface ActionFieldset {
  title: FieldLike;
  ownerAgency: FieldLike;
  ownerPerson: FieldLike;
  dueDate: FieldLike;
}

function ActionFields({
  set,
  agencies,
  people,
  label,
}: {
  set: ActionFieldset;
  agencies: Option[];
  people: Option[];
  label: string;
}) {
  return (
    <>
      <TextField field={set.title} label={`What is to be done (${label})`} />
      <SelectField
        field={set.ownerAgency}
        label="Owner agency"
        options={agencies}
        placeholder="Select an agency"
      />
      <SelectField
        field={set.ownerPerson}
        label="Owner (optional)"
        options={people}
        placeholder="No named person"
      />
      <TextField field={set.dueDate} label="Due date" type="date" className="govuk-input--width-10" />
    </>
  );
}

/** Whether the other person's saved item differs from what is in this form. */
function differs(theirs: EditorItem, set: { discussion: FieldLike }): boolean {
  const mine = typeof set.discussion.initialValue === "string" ? set.discussion.initialValue : "";
  return mine.trim() !== theirs.discussion.trim() || theirs.decisions.length > 0 || theirs.actions.length > 0;
}

/** The other person's version of one item, shown beside this person's after a refused save. */
function Theirs({
  theirs,
  conflict,
  agencies,
  people,
}: {
  theirs: EditorItem;
  conflict: Conflict | undefined;
  agencies: Option[];
  people: Option[];
}) {
  const name = (options: Option[], id: number | null) => options.find((o) => o.value === String(id))?.label;
  return (
    <div className="app-minutes-edit__theirs">
      <h3 className="govuk-heading-s">
        Saved meanwhile{conflict?.updatedBy ? ` by ${conflict.updatedBy}` : ""}
        {conflict?.updatedAt ? ` at ${formatTime(conflict.updatedAt)}` : ""} (version {conflict?.version})
      </h3>
      <div className="govuk-body">{theirs.discussion || "(No minutes for this item.)"}</div>
      {theirs.decisions.length > 0 && (
        <>
          <p className="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">Decisions</p>
          <ul className="govuk-list govuk-list--bullet">
            {theirs.decisions.map((d) => (
              <li key={d.id}>{d.text}</li>
            ))}
          </ul>
        </>
      )}
      {theirs.actions.length > 0 && (
        <>
          <p className="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">Actions</p>
          <ul className="govuk-list govuk-list--bullet">
            {theirs.actions.map((a) => (
              <li key={a.id}>
                {a.title}: {name(agencies, a.ownerAgencyId) ?? "an agency"}
                {a.ownerPersonId ? ` (${name(people, a.ownerPersonId) ?? "a person"})` : ""}, due{" "}
                {formatDate(a.dueDate)}
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="govuk-body-s govuk-!-margin-bottom-0">
        Your text is in the boxes below. Merge anything of theirs you want to keep, then save: your save will
        replace theirs. Decisions and actions they added are kept unless you remove them.
      </p>
    </div>
  );
}

/** Saves the draft a few seconds after typing stops, where JavaScript runs. */
function useAutosave(setVersion: (version: number) => void) {
  const fetcher = useFetcher<EditActionResult>();
  const formRef = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [message, setMessage] = useState("");
  const [conflicted, setConflicted] = useState(false);

  useEffect(() => {
    const answer = fetcher.data;
    if (!answer || fetcher.state !== "idle") return;
    if (answer.autosaved) {
      setVersion(answer.autosaved.version);
      setMessage(`Draft saved automatically at ${formatTime(answer.autosaved.savedAt)}.`);
    } else if (answer.conflict) {
      setConflicted(true);
      setMessage("Not saved automatically: someone else has saved these minutes.");
    } else {
      setMessage("Not saved automatically. Save the draft to see what needs correcting.");
    }
  }, [fetcher.data, fetcher.state, setVersion]);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const save = () => {
    const form = formRef.current;
    if (!form || conflicted) return;
    if (fetcher.state !== "idle") {
      timer.current = setTimeout(save, AUTOSAVE_DELAY_MS);
      return;
    }
    const body = new FormData(form);
    body.set("intent", "autosave");
    fetcher.submit(body, { method: "post" });
  };

  return {
    formRef,
    message,
    conflicted,
    schedule: () => {
      if (conflicted) return;
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(save, AUTOSAVE_DELAY_MS);
    },
  };
}
