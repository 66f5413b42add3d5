import type * as Session from '../../../client/src/shared/session';

const user = { id: 'u1', name: 'Ana', email: 'ana@example.org', isAdmin: false, memberships: [] };
const answer = (status: number, body: unknown = {}) =>
  Promise.resolve(new Response(status === 204 ? null : JSON.stringify(body), { status }));

/** A fresh copy of the module (its shared question starts unasked) with fetch answering as told. */
function sessionWith(fetch: jest.Mock): typeof Session {
  global.fetch = fetch;
  let fresh!: typeof Session;
  jest.isolateModules(() => {
    fresh = jest.requireActual('../../../client/src/shared/session');
  });
  return fresh;
}

const asked = (fetch: jest.Mock) => fetch.mock.calls.filter(([path]) => path === '/api/auth/me').length;

describe('the session check', () => {
  afterEach(() => jest.restoreAllMocks());

  it('when several parts of a page ask who is signed in, then the server is asked once', async () => {
    const fetch = jest.fn(() => answer(200, { user }));
    const session = sessionWith(fetch);
    const answers = await Promise.all([session.currentUser(), session.currentUser(), session.currentUser()]);
    expect(answers).toEqual([user, user, user]);
    expect(await session.currentUser()).toEqual(user);
    expect(asked(fetch)).toBe(1);
  });

  it('when nobody is signed in (401), then the answer is null, not an error, and is not asked again', async () => {
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const fetch = jest.fn(() => answer(401, { title: 'Unauthorized' }));
    const session = sessionWith(fetch);
    expect(await Promise.all([session.currentUser(), session.currentUser()])).toEqual([null, null]);
    expect(asked(fetch)).toBe(1);
    expect(error).not.toHaveBeenCalled();
  });

  it('when the question fails, then the next one asks again', async () => {
    const fetch = jest
      .fn()
      .mockImplementationOnce(() => Promise.reject(new TypeError('Failed to fetch')))
      .mockImplementation(() => answer(200, { user }));
    const session = sessionWith(fetch);
    await expect(session.currentUser()).rejects.toThrow('No connection to the server.');
    expect(await session.currentUser()).toEqual(user);
    expect(asked(fetch)).toBe(2);
  });

  it('when one signs in, then the user is asked anew; once signed out, nobody is', async () => {
    const fetch = jest
      .fn()
      .mockImplementationOnce(() => answer(401))
      .mockImplementation((path: string) => (path === '/api/auth/me' ? answer(200, { user }) : answer(204)));
    const session = sessionWith(fetch);
    expect(await session.currentUser()).toBeNull();
    expect(await session.signIn('ana@example.org', 'secret')).toEqual(user);
    expect(await session.currentUser()).toEqual(user);
    await session.signOut();
    expect(await session.currentUser()).toBeNull();
    expect(asked(fetch)).toBe(2);
  });
});
