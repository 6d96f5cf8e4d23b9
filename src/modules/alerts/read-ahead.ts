// The alert evaluation's reads ahead of its work (evaluateMonthsBeside, evaluate.ts): the slices of facts
// handed from the reads to the evaluation as they arrive, taken apart and evaluated in turns of the event
// loop, so that the connection goes on with the next statement while Node evaluates.
import type { FirmColumns } from '../../domain/alerts/index.ts';
import { copiedTuples } from '../../db/copy-out.ts';
import { COPIED_FIRM_TYPES, firmColumnsOf, firmColumnsOfCopied, type RawFirmSlice } from './facts.ts';

/**
 * Slices held at most: the reads wait for the evaluation beyond them. On a loaded machine the evaluation
 * fell behind the reads and 25 slices waited, the import's peak passing 500 MiB at province scale.
 */
const HELD = 3;

/**
 * Slices handed from the reads to the evaluation as they come: the evaluation waits when it is ahead, the
 * reads when HELD slices wait.
 */
export class SliceQueue {
  private readonly items: RawFirmSlice[] = [];
  private ended = false;
  private failure: unknown;
  private wake: (() => void) | undefined;
  private room: (() => void) | undefined;
  /** slices held at most at once (the step breakdown tells it) */
  most = 0;
  /** Hands a slice on; resolves once fewer than HELD wait. */
  async push(slice: RawFirmSlice): Promise<void> {
    this.items.push(slice);
    this.most = Math.max(this.most, this.items.length);
    this.signal();
    while (this.items.length >= HELD && !this.ended)
      await new Promise<void>((resolve) => (this.room = resolve));
  }
  /** No slice comes any more (`failure`: the reads failed), or none is taken any more (the evaluation failed). */
  end(failure?: unknown): void {
    this.ended = true;
    this.failure = failure;
    this.signal();
    const room = this.room;
    this.room = undefined;
    room?.();
  }
  /** the next slice, let go by the queue; undefined once the reads ended */
  async next(): Promise<RawFirmSlice | undefined> {
    while (this.items.length === 0 && !this.ended)
      await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.failure !== undefined) throw this.failure;
    const slice = this.items.shift();
    const room = this.room;
    this.room = undefined;
    room?.();
    return slice;
  }
  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

/** Firms evaluated between two turns of the event loop (beside other work: see inTurns). */
const TURN_FIRMS = 500;

/**
 * The firms of the slices read ahead, a few at a time, each after a turn of the event loop: evaluated beside
 * the reads of the next slices and then another hook's statements (the monitoring rollups), the evaluation
 * lets the next statement be sent as soon as the one before it ends — a turn's work (≈ 15 ms) is the
 * longest the connection may stand idle. Each turn takes apart only its own firms' texts, and lets them go:
 * a slice taken apart at once was held as objects through the ten turns of its evaluation, long enough for
 * V8's scavenges to meet them alive and promote them to the old generation, garbage collected only at the
 * next full collection. At province scale the import's peak was that garbage (53–57 MB of the heap live);
 * turn by turn it fell from 388–440 MiB to 328–384 MiB, for the same CPU time (issue 13).
 */
export async function* inTurns(slices: SliceQueue): AsyncGenerator<FirmColumns[]> {
  for (let slice = await slices.next(); slice !== undefined; slice = await slices.next())
    yield* takenApart(slice);
}

/** A slice's firms taken apart TURN_FIRMS at a time, each turn after a turn of the event loop (see inTurns). */
export async function* takenApart(slice: RawFirmSlice): AsyncGenerator<FirmColumns[]> {
  if ('texts' in slice) {
    const { texts } = slice;
    for (let i = 0; i < texts.length; i += TURN_FIRMS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      const turn = texts.slice(i, i + TURN_FIRMS);
      texts.fill('', i, i + TURN_FIRMS);
      yield firmColumnsOf(turn);
    }
    return;
  }
  // The COPY's rows decoded chunk by chunk (as the server sent them: a few dozen firms each), each chunk let
  // go once decoded and its firms handed on at once, a turn's firms (TURN_FIRMS or a few more) between two
  // turns of the event loop. A turn's firms decoded before any was evaluated lived through the turn, long
  // enough for V8's scavenges to meet them alive twice and promote them: at province scale ≈ 200 MB of
  // decoded facts went to the old generation, to be marked and compacted there (issue 13).
  let batch: FirmColumns[] = [];
  const tuples = copiedTuples(released(slice.copied), COPIED_FIRM_TYPES, (r) =>
    batch.push(firmColumnsOfCopied(r)),
  );
  for (let done = false; !done;) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    for (let given = 0; given < TURN_FIRMS && !done;) {
      done = (await tuples.next()).done === true;
      if (batch.length) {
        given += batch.length;
        yield batch;
        batch = [];
      }
    }
  }
}

/** The chunks in order, each let go by the array as it is handed on. */
async function* released(chunks: Buffer[]): AsyncGenerator<Buffer> {
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i]!;
    chunks[i] = NO_BYTES;
    yield chunk;
  }
}
const NO_BYTES = Buffer.alloc(0);

/** A promise settled from outside. */
export function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // observed by whoever awaits it; a failure before anyone does must not end the process as unhandled
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
