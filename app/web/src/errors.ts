// A refusal as a sentence: the program's error by its name and message, from the committed IDL
// (the generated client drops its messages from production bundles), or what else went wrong.
import { programErrorOf } from '@tributary/client';
import { errors } from '../../../idl/tributary.json';

export function explain(error: unknown): string {
  const refused = programErrorOf(error);
  if (refused) {
    const known = errors.find((entry) => entry.code === Number(refused.code));
    return known
      ? `The program refused: ${known.msg} (${known.name}, error ${known.code}).`
      : `The program refused with error ${refused.code}.`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `It did not go through: ${message}`;
}
