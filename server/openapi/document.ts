import { createDocument, type ZodOpenApiPathsObject } from 'zod-openapi';

export function openApiDocument(paths: ZodOpenApiPathsObject): object {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Petition signature gathering API',
      version: '1.0.0',
      description:
        'Signer intake, exact county tallies, progress and CSV exports for ballot-initiative petitions. ' +
        'Errors are RFC 9457 problem details.',
    },
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
