import { z } from 'zod';
import { text } from '../http/schemas';
import { PETITION_ROLES } from './roles';

export const loginBody = z.strictObject({
  email: text().trim().min(3).max(320),
  password: z.string().min(1).max(1024),
});

export const tokenBody = z.strictObject({ name: text().trim().min(1).max(100) });

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
