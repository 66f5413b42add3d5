/**
 * The API's shapes as the pages name them: aliases of the types generated from the server's OpenAPI
 * document (api-schema.ts, written by `npm run api-types`, which `npm run typecheck` runs first), so
 * that a server schema the client does not follow fails the type check.
 */
import type { components, paths } from './api-schema';

type Schemas = components['schemas'];
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The operations a path has, by method (those it lacks are left out, so naming one fails). */
type Operations<P extends keyof paths> = {
  [M in Method as paths[P][M] extends { responses: object } ? M : never]: paths[P][M];
};
type Responses<P extends keyof paths, M extends keyof Operations<P>> = Operations<P>[M] extends {
  responses: infer R;
}
  ? R
  : never;

/** The JSON of the answer `status` to `method path`, as the server documents it. */
export type Answer<
  P extends keyof paths,
  M extends keyof Operations<P>,
  S extends keyof Responses<P, M>,
> = Responses<P, M>[S] extends { content: { 'application/json': infer T } } ? T : never;

/** The JSON body `method path` takes. */
export type RequestBody<P extends keyof paths, M extends keyof Operations<P>> = Operations<P>[M] extends {
  requestBody?: { content: { 'application/json': infer T } };
}
  ? T
  : never;

export type User = Schemas['User'];
export type PetitionRole = User['memberships'][number]['role'];
export type Petition = Schemas['Petition'];
export type County = Petition['counties'][number];
export type Membership = Schemas['Membership'];
export type Me = Answer<'/api/auth/me', 'get', 200>;
export type PetitionList = Answer<'/api/petitions', 'get', 200>;
export type MemberList = Answer<'/api/petitions/{id}/members', 'get', 200>;

export type Progress = Schemas['Progress'];
export type CountyProgress = Progress['counties'][number];
export type Band = Progress['band'];
export type Sample = Schemas['Sample'];
export type SampleList = Answer<'/api/petitions/{id}/samples', 'get', 200>;

export type SignatureStatus = Schemas['Signature']['status'];
export type SignatureReceipt = Schemas['SignatureReceipt'];
export type SignatureRecord = Schemas['Signature'];
export type SignatureList = Answer<'/api/petitions/{id}/signatures', 'get', 200>;
export type BatchAnswer = Answer<'/api/petitions/{id}/signatures/batch', 'post', 200>;

/** What the volunteer app sends for a signer: the fields its form has, a section and line if any. */
export type SignerInput = Pick<
  Schemas['SignerInput'],
  'firstName' | 'lastName' | 'addressLine1' | 'city' | 'zip' | 'countyFips' | 'sectionNumber' | 'line'
> & { signedAt?: string };

/** A bearer token of the signed-in user, as listed (never its secret). */
export type ApiToken = Schemas['Token'];
export type TokenList = Answer<'/api/auth/tokens', 'get', 200>;
/** The answer to creating a token: the only time its secret is shown. */
export type IssuedApiToken = Answer<'/api/auth/tokens', 'post', 201>;

export type CirculatorList = Answer<'/api/petitions/{id}/circulators', 'get', 200>;
export type Circulator = CirculatorList['items'][number];
export type VerificationRun = Schemas['VerificationRun'];

/** A paper section: a numbered sheet for one county, carried by one circulator. */
export type Section = Schemas['Section'];
export type SectionStatus = Section['status'];
export type SectionPage = Answer<'/api/petitions/{id}/sections', 'get', 200>;
export type IssueRequest = RequestBody<'/api/petitions/{id}/sections', 'post'>;
export type IssueAnswer = Answer<'/api/petitions/{id}/sections', 'post', 201>;
export type SectionChange = RequestBody<'/api/petitions/{id}/sections/{number}', 'patch'>;
export type Filing = Schemas['Filing'];
export type FilingList = Answer<'/api/petitions/{id}/filings', 'get', 200>;
export type FilingRequest = RequestBody<'/api/petitions/{id}/filings', 'post'>;
