/** The key under which this device remembers the last line used on each section of a volunteer. */
export const linesKey = (userId: string) => `collect.lines.${userId}`;

type Remembered = Record<string, number>;
const slot = (petitionId: string, number: number) => `${petitionId}:${number}`;

function remembered(userId: string): Remembered {
  try {
    return (JSON.parse(localStorage.getItem(linesKey(userId)) ?? '{}') as Remembered | null) ?? {};
  } catch {
    return {};
  }
}

/** Keeps the line just used, so that after a reload the next signer still goes on the next line. */
export function rememberLine(userId: string, petitionId: string, number: number, line: number): void {
  const lines = remembered(userId);
  const key = slot(petitionId, number);
  lines[key] = Math.max(lines[key] ?? 0, line);
  localStorage.setItem(linesKey(userId), JSON.stringify(lines));
}

export function lastUsedLine(userId: string, petitionId: string, number: number): number {
  return remembered(userId)[slot(petitionId, number)] ?? 0;
}
