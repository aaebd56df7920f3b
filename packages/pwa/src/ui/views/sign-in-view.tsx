// The sign-in screen: email, password and this device's name; the server's refusal shown in words.
import { useState, type FormEvent } from 'react';
import type { LoginInput } from '@fieldvault/shared/schemas';
import {
  DEVICE_LABEL_MAX,
  localStorageOrNull,
  readDeviceLabel,
  saveDeviceLabel,
  suggestDeviceLabel,
} from '../../session/device-label';
import { ViewLayout } from './view-layout';

/** Props for {@link SignInView}. */
export interface SignInViewProps {
  signIn: (input: LoginInput) => Promise<void>;
  /** Said above the form, e.g. after signing out: where the captures are. */
  notice?: string | null;
}

function initialLabel(): string {
  return readDeviceLabel(localStorageOrNull()) ?? suggestDeviceLabel(navigator.userAgent);
}

/** The form's fields and the submit that remembers the device name and signs in. */
function useSignInForm(signIn: SignInViewProps['signIn']) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [deviceLabel, setDeviceLabel] = useState(initialLabel);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const label = deviceLabel.trim();
    saveDeviceLabel(localStorageOrNull(), label);
    const input: LoginInput = { email: email.trim(), password };
    if (label) input.deviceLabel = label;
    signIn(input).catch((err: unknown) => {
      setError(err instanceof Error ? err.message : 'Sign-in failed.');
      setBusy(false);
    });
  };
  const fields = { email, setEmail, password, setPassword, deviceLabel, setDeviceLabel };
  return { fields, error, busy, submit };
}

type Fields = ReturnType<typeof useSignInForm>['fields'];

function CredentialFields({ fields }: { fields: Fields }) {
  return (
    <>
      <label>
        Email
        <input
          type="email"
          autoComplete="username"
          required
          value={fields.email}
          onChange={(e) => fields.setEmail(e.target.value)}
        />
      </label>
      <label>
        Password
        <input
          type="password"
          autoComplete="current-password"
          required
          value={fields.password}
          onChange={(e) => fields.setPassword(e.target.value)}
        />
      </label>
      <label>
        Device name
        <input
          aria-describedby="device-label-hint"
          maxLength={DEVICE_LABEL_MAX}
          autoComplete="off"
          value={fields.deviceLabel}
          onChange={(e) => fields.setDeviceLabel(e.target.value)}
        />
      </label>
      <p id="device-label-hint" className="muted">
        Shown in the audit trail next to everything captured on this device, e.g. “Anna’s phone”.
      </p>
    </>
  );
}

/** Email + password + device name; disables itself while the request runs. */
export function SignInView({ signIn, notice = null }: SignInViewProps) {
  const { fields, error, busy, submit } = useSignInForm(signIn);
  return (
    // After signing out the button that was focused is gone: the heading (and the notice below it) takes focus.
    <ViewLayout title="Sign in" focusHeading={notice !== null}>
      {notice ? (
        <p className="notice" role="status" data-testid="sign-in-notice">
          {notice}
        </p>
      ) : null}
      <form
        className="form"
        onSubmit={submit}
        aria-describedby={error ? 'sign-in-error' : undefined}
      >
        <CredentialFields fields={fields} />
        {error ? (
          <p id="sign-in-error" className="form__error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </ViewLayout>
  );
}
