// Admin user management: the org's users with role, disable/enable and password reset, and a form to create one.
import { useState, type FormEvent } from 'react';
import { role as roleSchema, type AdminUser, type Role } from '@fieldvault/shared/schemas';
import type { OfficeContext } from './office-section';

type Outcome = { ok: boolean; text: string } | null;

/** Props for {@link AdminUsers}. */
export interface AdminUsersProps {
  ctx: OfficeContext;
  users: AdminUser[];
  reload: () => Promise<void>;
  online: boolean;
}

function CreateUserForm({
  ctx,
  done,
  online,
}: {
  ctx: OfficeContext;
  done: (o: Outcome) => void;
  online: boolean;
}) {
  const [form, setForm] = useState({ email: '', name: '', role: 'field' as Role, password: '' });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const user = await ctx.api.createUser(form);
      setForm({ email: '', name: '', role: 'field', password: '' });
      done({ ok: true, text: `Created ${user.email} (${user.role}).` });
    } catch (e) {
      done({ ok: false, text: e instanceof Error ? e.message : String(e) });
    }
  };
  return (
    <form className="office-form" aria-label="Create a user" onSubmit={(e) => void submit(e)}>
      <label>
        Email
        <input
          type="email"
          required
          value={form.email}
          onChange={(e) => setForm({ ...form, email: e.target.value })}
        />
      </label>
      <label>
        Name
        <input
          required
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
        />
      </label>
      <label>
        Role
        <select
          value={form.role}
          onChange={(e) => setForm({ ...form, role: roleSchema.parse(e.target.value) })}
        >
          {roleSchema.options.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </label>
      <label>
        Password (at least 12 characters)
        <input
          type="password"
          required
          minLength={12}
          autoComplete="new-password"
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
        />
      </label>
      <button type="submit" className="office-button" disabled={!online}>
        Create user
      </button>
    </form>
  );
}

function UserRow({
  ctx,
  user,
  act,
  online,
}: {
  ctx: OfficeContext;
  user: AdminUser;
  act: (run: () => Promise<string>) => void;
  online: boolean;
}) {
  const { api } = ctx;
  return (
    <tr data-testid="user-row">
      <td>{user.name}</td>
      <td>{user.email}</td>
      <td>
        <select
          aria-label={`Role of ${user.email}`}
          value={user.role}
          disabled={!online}
          onChange={(e) => {
            const next = roleSchema.parse(e.target.value);
            act(
              async () =>
                `${(await api.updateUser({ id: user.id, role: next })).email} is now ${next}; their sessions ended.`,
            );
          }}
        >
          {roleSchema.options.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </td>
      <td>{user.disabled ? 'Disabled' : 'Active'}</td>
      <td className="office-actions">
        <button
          type="button"
          className="office-button office-button--quiet"
          disabled={!online}
          onClick={() =>
            act(async () =>
              user.disabled
                ? `${(await api.updateUser({ id: user.id, disabled: false })).email} can sign in again.`
                : `${(await api.disableUser(user.id)).email} is disabled; their sessions ended.`,
            )
          }
        >
          {user.disabled ? `Enable ${user.name}` : `Disable ${user.name}`}
        </button>
        <button
          type="button"
          className="office-button office-button--quiet"
          disabled={!online}
          onClick={() =>
            act(async () => {
              const result = await api.resetPassword(user.id);
              return `New password for ${result.user.email} (shown once): ${result.generatedPassword ?? '(set)'}`;
            })
          }
        >
          Reset password of {user.name}
        </button>
      </td>
    </tr>
  );
}

/** The users section of the Admin screen. */
export function AdminUsers({ ctx, users, reload, online }: AdminUsersProps) {
  const [outcome, setOutcome] = useState<Outcome>(null);
  const act = (run: () => Promise<string>) => {
    run()
      .then((text) => setOutcome({ ok: true, text }))
      .catch((e: unknown) =>
        setOutcome({ ok: false, text: e instanceof Error ? e.message : String(e) }),
      )
      .finally(() => void reload());
  };
  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      {!online ? <p className="office-notice">Offline — managing users needs the server.</p> : null}
      {outcome ? (
        <p
          role={outcome.ok ? 'status' : 'alert'}
          className={outcome.ok ? 'outcome--ok' : 'office-error'}
        >
          {outcome.text}
        </p>
      ) : null}
      <div className="office-table-wrap" tabIndex={0} role="region" aria-label="Users">
        <table className="office-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <UserRow key={user.id} ctx={ctx} user={user} act={act} online={online} />
            ))}
          </tbody>
        </table>
      </div>
      <h3>Create a user</h3>
      <CreateUserForm
        ctx={ctx}
        online={online}
        done={(o) => {
          setOutcome(o);
          void reload();
        }}
      />
    </section>
  );
}
