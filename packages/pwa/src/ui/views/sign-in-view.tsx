// The sign-in screen: email and password; the server's refusal shown in words.
import { useState, type FormEvent } from 'react';
import type { LoginInput } from '@fieldvault/shared/schemas';
import { ViewLayout } from './view-layout';

/** Props for {@link SignInView}. */
export interface SignInViewProps {
  signIn: (input: LoginInput) => Promise<void>;
}

/** Email + password form; disables itself while the request runs. */
export function SignInView({ signIn }: SignInViewProps) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    signIn({ email: email.trim(), password }).catch((err: unknown) => {
      setError(err instanceof Error ? err.message : 'Sign-in failed.');
      setBusy(false);
    });
  };

  return (
    <ViewLayout title="Sign in" focusHeading={false}>
      <form
        className="form"
        onSubmit={submit}
        aria-describedby={error ? 'sign-in-error' : undefined}
      >
        <label>
          Email
          <input
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
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
