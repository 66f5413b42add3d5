import { ConfigError, loadConfig } from '../../server/config';

describe('configuration', () => {
  it('defaults to the embedded database with demo data', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, dataDir: './data', databaseUrl: undefined, demo: true });
    expect(c.sessionSecret).toHaveLength(64);
  });

  it('turns the demo off by default on a real server', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h:5432/d' }).demo).toBe(false);
  });

  it('refuses to run in production without a session secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET: is required/);
  });

  it('names every bad variable', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/PORT/);
    expect((error as Error).message).toMatch(/DATABASE_URL: must be a postgres:\/\/ URL/);
  });

  it('wants the admin email and password together', () => {
    expect(() => loadConfig({ ADMIN_EMAIL: 'a@b.org' })).toThrow(/ADMIN_PASSWORD/);
  });
});
