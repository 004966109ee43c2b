import type { RegisterPage, RegisterRow } from "~/attendance/register.server";

/* The attendance register's form as the page posts it, for tests that save registers. */

export type RowForm = Partial<{
  status: string;
  deputy: string;
  minutesPresent: string;
  mode: string;
  travelMinutes: string;
  miles: string;
  expenses: string;
}>;

/** The whole register's form as the page posts it, with some rows changed. */
export function formFor(page: RegisterPage, changes: Record<number, RowForm>): Record<string, string> {
  const form: Record<string, string> = { intent: "save", version: page.version };
  page.rows.forEach((row: RegisterRow, i) => {
    const change = changes[row.personId] ?? {};
    const values: Required<RowForm> = {
      status: row.status,
      deputy: row.deputyPersonId === null ? "" : String(row.deputyPersonId),
      minutesPresent: row.minutesPresent === null ? "" : String(row.minutesPresent),
      mode: row.mode,
      travelMinutes: String(row.travelMinutes),
      miles: String(row.miles),
      expenses: row.otherExpensesPence === 0 ? "" : (row.otherExpensesPence / 100).toFixed(2),
      ...change,
    };
    form[`rows[${i}].id`] = String(row.id);
    for (const [key, value] of Object.entries(values)) form[`rows[${i}].${key}`] = value;
  });
  return form;
}
