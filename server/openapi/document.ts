import { createDocument, type ZodOpenApiPathsObject } from 'zod-openapi';

const TAGS = [
  { name: 'auth', description: 'Signing in and out, the caller, and bearer tokens for scripts' },
  { name: 'users', description: 'Accounts (admins)' },
  { name: 'petitions', description: 'Petitions, their counties, distribution rules and status' },
  { name: 'members', description: 'Who has which role on a petition' },
  { name: 'signatures', description: 'Recording signers (idempotent) and checking them' },
  { name: 'progress', description: 'Counts against the requirement: the document, its stream and exports' },
  {
    name: 'verification',
    description: 'The voter file, verification runs, the review queue, samples, circulators, purge',
  },
  { name: 'sections', description: 'Paper petition sections, their scans and filings' },
  { name: 'geo', description: 'County outlines for maps' },
  { name: 'health', description: 'Liveness and readiness' },
  { name: 'documentation', description: 'This document' },
];

/** The OpenAPI 3.1 document of the API, from the same route specs that validate requests. */
export function openApiDocument(paths: ZodOpenApiPathsObject): object {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Petition signature gathering API',
      version: '1.1.0',
      description:
        'Signer intake, exact county tallies, progress and CSV exports for ballot-initiative petitions, ' +
        'and the paper sections signers sign. Errors are RFC 9457 problem details.',
      contact: { name: 'Petition platform maintainers' },
      license: { name: 'MIT', identifier: 'MIT' },
    },
    tags: TAGS,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'sid' },
        bearer: { type: 'http', scheme: 'bearer' },
      },
    },
    security: [{ session: [] }, { bearer: [] }, {}],
    paths,
  });
}
