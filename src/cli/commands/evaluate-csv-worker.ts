// A worker thread writing some of the evaluation export's rows (evaluate-csv.ts) while the main thread writes
// others: it answers each part it is sent with the part's CSV lines as UTF-8 bytes, moved (not copied) back,
// in the order asked. Nothing else is loaded here: the worker starts in a few milliseconds, beside the
// command's reading of the year.
import { parentPort } from 'node:worker_threads';
import { csvLines, type CsvPart } from './evaluate-csv.ts';

const port = parentPort!;
const utf8 = new TextEncoder();
port.on('message', (part: CsvPart) => {
  const bytes = utf8.encode(csvLines(part, 0, part.groupOf.length));
  port.postMessage(bytes, [bytes.buffer as ArrayBuffer]);
});
