import type { Answer } from './send';

/** Stack frames, SQL and driver messages: none of them may reach a client. */
export const LEAK =
  /\bat .*\.(ts|js):\d+|select .* from|insert into|relation "|violates|syntax error|invalid input syntax|invalid byte sequence/i;

export interface Failure {
  operation: string;
  role: string;
  input: string;
  status: number | string;
  problems: string[];
  excerpt: string;
}

/** What is wrong with an answer by the contract's rules for every response (empty when nothing). */
export function problemsOf(answer: Answer): string[] {
  if (answer.kind === 'no answer') return [`no answer: ${answer.error}`];
  const problems: string[] = [];
  const { status, contentType, text } = answer;
  if (status >= 500 && status !== 503) problems.push(`status ${status}`);
  if (status >= 400) {
    if (!contentType.startsWith('application/problem+json')) {
      problems.push(`error without problem+json (Content-Type ${contentType || 'none'})`);
    } else {
      problems.push(...problemShape(text, status));
    }
  }
  const leak = LEAK.exec(text);
  if (leak) problems.push(`body leaks ${JSON.stringify(leak[0].slice(0, 60))}`);
  return problems;
}

function problemShape(text: string, status: number): string[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return ['problem body is not JSON'];
  }
  const p = body as Record<string, unknown> | null;
  const out: string[] = [];
  for (const key of ['type', 'title', 'detail'] as const) {
    if (typeof p?.[key] !== 'string') out.push(`problem lacks a string ${key}`);
  }
  if (p?.status !== status) out.push(`problem status ${String(p?.status)} is not the HTTP status ${status}`);
  if (status === 503 && p?.type !== '/problems/not-ready')
    out.push('503 that is not the deliberate not-ready');
  return out;
}

export const excerptOf = (answer: Answer) =>
  answer.kind === 'answer' ? answer.text.slice(0, 160).replace(/\s+/g, ' ') : answer.error;

/** Where the hostile value went ("path id", "body.firstName", "query cursor"), without the value. */
const placeOf = (input: string) => input.split(' = ')[0] as string;

/**
 * All failures in one message, one line per kind: operation, where the input went, status and what
 * was wrong, then the inputs that did it and the roles that sent them, and one answer's excerpt.
 */
export function report(failures: Failure[], sent: number): string {
  if (!failures.length) return '';
  const groups = new Map<string, Failure[]>();
  for (const f of failures) {
    const key = `${f.operation} | ${placeOf(f.input)} → ${f.status}: ${f.problems.join('; ')}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const lines = [`${failures.length} of ${sent} requests broke the contract, in ${groups.size} kinds:`];
  for (const [key, list] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const roles = [...new Set(list.map((f) => f.role))].join(', ');
    const values = [...new Set(list.map((f) => f.input.split(' = ').slice(1).join(' = ')))].filter(Boolean);
    lines.push(`- ${key}  [${list.length}×; ${roles}]`);
    if (values.length)
      lines.push(`    values: ${values.slice(0, 12).join(' | ')}${values.length > 12 ? ' | …' : ''}`);
    lines.push(`    answer: ${(list[0] as Failure).excerpt}`);
  }
  return lines.join('\n');
}
