// The program's events, read from a transaction's logs: each is logged as
// `Program data: <base64>`, its first 8 bytes the event's discriminator.
import { getBase64Encoder, type Decoder } from '@solana/kit';
import * as types from './generated/types';

export type TributaryEvent = { name: string; data: Record<string, unknown> };

const PROGRAM_DATA = 'Program data: ';

/** Every event decoder the generated code has: `get<Name>EventDecoder`. */
const decoders: [string, Decoder<object>][] = Object.entries(types)
  .filter(([name]) => /^get\w+EventDecoder$/.test(name))
  .map(([name, make]) => [
    name.slice(3, -'Decoder'.length),
    (make as () => Decoder<object>)(),
  ]);

/** The events in `logs`, in order; lines of other programs' data are skipped. */
export function decodeEvents(logs: readonly string[]): TributaryEvent[] {
  const events: TributaryEvent[] = [];
  for (const line of logs) {
    const at = line.indexOf(PROGRAM_DATA);
    if (at < 0) continue;
    const bytes = getBase64Encoder().encode(line.slice(at + PROGRAM_DATA.length).trim());
    for (const [name, decoder] of decoders) {
      try {
        // The hidden prefix checks the discriminator: another event's throws.
        events.push({ name, data: decoder.decode(bytes) as Record<string, unknown> });
        break;
      } catch {
        continue;
      }
    }
  }
  return events;
}
