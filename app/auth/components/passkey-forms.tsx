import { type SubmissionResult, useForm } from "@conform-to/react";
import { getZodConstraint } from "@conform-to/zod/v4";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Form, useNavigation, useSubmit } from "react-router";
import { ErrorSummary, TextField } from "~/components/forms";
import { addPasskeySchema } from "../security-schemas";
import {
  type CreationOptionsJSON,
  createPasskey,
  passkeyErrorMessage,
  passkeysSupported,
  type RequestOptionsJSON,
  signWithPasskey,
} from "../webauthn";

/*
 * The two passkey forms. Each is a real <Form> with a hidden "credential" field: pressing
 * its button runs the browser's passkey dialog with the options the loader made, puts the
 * JSON answer in that hidden field and posts the form. Without JavaScript, or in a browser
 * without passkeys (no window.PublicKeyCredential), the form is not shown at all; the page
 * around it says so in words. No inline handlers: the CSP allows bundled scripts only.
 */

/** Whether the browser can do passkeys, known only after hydration (false on the server). */
function usePasskeySupport(): boolean {
  const [supported, setSupported] = useState(false);
  useEffect(() => setSupported(passkeysSupported()), []);
  return supported;
}

/** Puts the dialog's answer in the hidden field and posts the form through the router. */
function usePostWithCredential() {
  const submit = useSubmit();
  return (form: HTMLFormElement, field: HTMLInputElement, json: string) => {
    field.value = json;
    const data = new FormData(form);
    // Spent on the server whatever happens: never post the same answer twice.
    field.value = "";
    submit(data, { method: "post" });
  };
}

export function AddPasskeyForm({
  options,
  lastResult,
  intent,
  redirectTo,
  buttonLabel = "Add a passkey",
}: {
  options: CreationOptionsJSON;
  lastResult: SubmissionResult<string[]> | null | undefined;
  intent: "add" | "add-passkey";
  redirectTo?: string;
  buttonLabel?: string;
}) {
  const supported = usePasskeySupport();
  const navigation = useNavigation();
  const post = usePostWithCredential();
  const credentialRef = useRef<HTMLInputElement>(null);
  const [waiting, setWaiting] = useState(false);
  const [browserError, setBrowserError] = useState<string | null>(null);
  const [form, fields] = useForm<{ name: string; credential: string }>({
    lastResult,
    constraint: getZodConstraint(addPasskeySchema),
    shouldValidate: "onSubmit",
  });
  if (!supported) return null;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    const field = credentialRef.current;
    if (!field || waiting) return;
    setBrowserError(null);
    setWaiting(true);
    try {
      post(element, field, await createPasskey(options));
    } catch (error) {
      setBrowserError(passkeyErrorMessage(error, "create"));
    } finally {
      setWaiting(false);
    }
  }

  const errors = [
    ...(browserError ? [browserError] : []),
    ...(form.errors ?? []),
    ...(fields.credential.errors ?? []),
  ];
  const busy = waiting || navigation.state === "submitting";
  return (
    <>
      <ErrorSummary form={{ errors }} fields={[fields.name]} />
      <Form method="post" id={form.id} onSubmit={onSubmit}>
        <input type="hidden" name="intent" value={intent} />
        {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
        <input type="hidden" name="credential" ref={credentialRef} defaultValue="" />
        <TextField
          field={fields.name}
          label="Name this passkey"
          hint="So you can tell your passkeys apart, for example ‘Work laptop’ or ‘Blue security key’"
          className="govuk-!-width-two-thirds"
          autoComplete="off"
        />
        <button
          type="submit"
          className="govuk-button"
          data-module="govuk-button"
          disabled={busy}
          aria-disabled={busy}
        >
          {buttonLabel}
        </button>
      </Form>
    </>
  );
}

/** The server's refusals are shown by the page (its error summary); this shows the browser's. */
export function UsePasskeyForm({ options, redirectTo }: { options: RequestOptionsJSON; redirectTo: string }) {
  const supported = usePasskeySupport();
  const navigation = useNavigation();
  const post = usePostWithCredential();
  const credentialRef = useRef<HTMLInputElement>(null);
  const [waiting, setWaiting] = useState(false);
  const [browserError, setBrowserError] = useState<string | null>(null);
  if (!supported) return null;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    const field = credentialRef.current;
    if (!field || waiting) return;
    setBrowserError(null);
    setWaiting(true);
    try {
      post(element, field, await signWithPasskey(options));
    } catch (error) {
      setBrowserError(passkeyErrorMessage(error, "get"));
    } finally {
      setWaiting(false);
    }
  }

  const errors = browserError ? [browserError] : [];
  const busy = waiting || navigation.state === "submitting";
  return (
    <>
      <ErrorSummary form={{ errors }} fields={[]} />
      <Form method="post" onSubmit={onSubmit}>
        <input type="hidden" name="intent" value="passkey" />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <input type="hidden" name="credential" ref={credentialRef} defaultValue="" />
        <button
          type="submit"
          className="govuk-button"
          data-module="govuk-button"
          disabled={busy}
          aria-disabled={busy}
        >
          Use a passkey
        </button>
      </Form>
    </>
  );
}
