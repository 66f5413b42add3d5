/*
 * npm run users:create -- --email someone@example.org --name "Some One" [--admin]
 * The password is read from USER_PASSWORD, or generated and printed once.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createUserBody } from '../server/auth/schemas';
import { loadConfig } from '../server/config';
import { prepareDatabase } from '../server/server';
import { createUser } from '../server/users/repo';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      admin: { type: 'boolean', default: false },
    },
  });
  const generated = !process.env.USER_PASSWORD;
  const password = process.env.USER_PASSWORD ?? randomBytes(12).toString('base64url');
  const input = createUserBody.safeParse({
    email: values.email,
    name: values.name,
    password,
    isAdmin: values.admin,
  });
  if (!input.success) {
    for (const issue of input.error.issues) console.error(`${issue.path.join('.')}: ${issue.message}`);
    console.error('usage: npm run users:create -- --email EMAIL --name NAME [--admin]');
    process.exit(2);
  }
  const db = await prepareDatabase(loadConfig());
  try {
    const user = await createUser(db.knex, input.data);
    console.log(`Created ${user.isAdmin ? 'admin' : 'user'} ${user.email} (${user.id}).`);
    if (generated) console.log(`Password (shown once): ${password}`);
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  console.error(`could not create the user: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
