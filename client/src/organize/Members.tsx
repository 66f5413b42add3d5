import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, describeError } from '../shared/api';
import { Alert, Field } from '../shared/components';
import type { MemberList, Membership, Petition, PetitionRole } from '../shared/types';

const ROLES: PetitionRole[] = ['organizer', 'volunteer', 'viewer'];

/** Who belongs to the petition and in which role; add by email, change the role, remove. */
export function Members({ petition, selfId }: { petition: Petition; selfId: string }) {
  const base = `/api/petitions/${petition.id}/members`;
  const [members, setMembers] = useState<Membership[] | null>(null);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<PetitionRole>('volunteer');
  const [emailError, setEmailError] = useState<string | undefined>();
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);

  const refresh = () =>
    api<MemberList>('GET', base).then(
      (r) => setMembers(r.items),
      (err) => setMessage({ kind: 'error', text: describeError(err) }),
    );
  useEffect(() => void refresh(), [petition.id]);

  const add = async (e: Event) => {
    e.preventDefault();
    setEmailError(undefined);
    if (!email.trim()) return setEmailError('Enter the email address of the person to add.');
    try {
      const m = await api<Membership>('POST', base, { body: { email: email.trim(), role } });
      setMessage({ kind: 'success', text: `${m.name} is now ${m.role}.` });
      setEmail('');
      await refresh();
    } catch (err) {
      if (err instanceof ApiError && (err.status === 404 || err.errors.length))
        setEmailError(err.errors[0]?.message ?? err.detail);
      else setMessage({ kind: 'error', text: describeError(err) });
    }
  };

  const change = async (m: Membership, next: PetitionRole) => {
    try {
      await api('PUT', `${base}/${m.userId}`, { body: { role: next } });
      setMessage({ kind: 'success', text: `${m.name} is now ${next}.` });
      await refresh();
    } catch (err) {
      setMessage({ kind: 'error', text: describeError(err) });
    }
  };

  const remove = async (m: Membership) => {
    if (!confirm(`Remove ${m.name} from this petition?`)) return;
    try {
      await api('DELETE', `${base}/${m.userId}`);
      setMessage({ kind: 'success', text: `${m.name} is no longer a member.` });
      await refresh();
    } catch (err) {
      setMessage({ kind: 'error', text: describeError(err) });
    }
  };

  return (
    <>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      <form class="card" onSubmit={add} noValidate aria-labelledby="add-title">
        <h2 id="add-title">Add a member</h2>
        <p class="muted">The person needs an account; an administrator creates accounts.</p>
        <div class="inline-form">
          <Field
            id="member-email"
            label="Email"
            type="email"
            value={email}
            error={emailError}
            onInput={setEmail}
          />
          <div class="field">
            <label for="member-role">Role</label>
            <select
              id="member-role"
              value={role}
              onChange={(e) => setRole((e.currentTarget as HTMLSelectElement).value as PetitionRole)}
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="primary">
            Add member
          </button>
        </div>
      </form>
      <section class="card" aria-labelledby="members-title">
        <h2 id="members-title">Members {members && `(${members.length})`}</h2>
        {!members ? (
          <p>Loading…</p>
        ) : (
          <div class="table-wrap scroll-x">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col" class="left">
                    Email
                  </th>
                  <th scope="col" class="left">
                    Role
                  </th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {members.map((m) => {
                  const self = m.userId === selfId;
                  return (
                    <tr key={m.userId}>
                      <th scope="row">{m.name}</th>
                      <td class="left">{m.email}</td>
                      <td class="left">
                        <select
                          aria-label={`Role of ${m.name}`}
                          value={m.role}
                          disabled={self}
                          aria-describedby={self ? 'own-role-hint' : undefined}
                          onChange={(e) =>
                            void change(m, (e.currentTarget as HTMLSelectElement).value as PetitionRole)
                          }
                        >
                          {ROLES.map((r) => (
                            <option key={r} value={r}>
                              {r}
                            </option>
                          ))}
                        </select>
                        {self && (
                          <p class="hint" id="own-role-hint">
                            You can't change your own role.
                          </p>
                        )}
                      </td>
                      <td>
                        {!self && (
                          <button
                            type="button"
                            class="danger"
                            onClick={() => void remove(m)}
                            aria-label={`Remove ${m.name}`}
                          >
                            Remove
                          </button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
