import { z } from 'zod';
import { text, uuid } from '../http/schemas';
import { DEFAULT_TOKEN_DAYS } from './tokens';
import { PETITION_ROLES } from './roles';

export const loginBody = z.strictObject({
  email: text().trim().min(3).max(320),
  password: z.string().min(1).max(1024),
});

export const tokenBody = z.strictObject({
  name: text().trim().min(1).max(100),
  expiresInDays: z.number().int().min(1).max(365).default(DEFAULT_TOKEN_DAYS),
});

export const tokenSchema = z
  .object({
    id: uuid,
    name: z.string(),
    createdAt: z.string(),
    expiresAt: z.string(),
    lastUsedAt: z.string().nullable(),
  })
  .meta({ id: 'Token' });

export const tokenParams = z.object({ id: uuid });
export const tokenListQuery = z.strictObject({
  userId: uuid.optional().meta({ description: "An admin may list another user's tokens" }),
});

export const userSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    isAdmin: z.boolean(),
    memberships: z.array(z.object({ petitionId: z.uuid(), role: z.enum(PETITION_ROLES) })),
  })
  .meta({ id: 'User' });

export const createUserBody = z.strictObject({
  email: z.email().max(320),
  name: text().trim().min(1).max(200),
  password: z.string().min(12, 'must be at least 12 characters').max(1024),
  isAdmin: z.boolean().optional(),
});
