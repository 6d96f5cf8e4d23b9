// A kept 亩均 policy list as bytes (issue 13): the firms of a run's list, each already written as the API
// writes it (its JSON through the route's schema), one UTF-8 buffer per list with typed arrays of where each
// firm and each of its policies begins — instead of an object per firm and per policy. At province scale the
// kept lists of every scope, class and department were ≈ 0.5 GB of objects on the server's heap, and each
// full collection of that heap had to trace them all: the reads bench's one-off p95 misses. Buffers and
// typed arrays live outside the heap and hold no references, so a collection no longer walks them.
//
// A page is the bytes of its firms between the page's head and tail, written once per page and kept beside
// the list; a class's or a department's list is the firms of the scope's whole list that qualify (their
// indices) and, for a department, which of each firm's policies it keeps — no copy of any firm.
import {
  POLICY_DEPARTMENTS,
  type EvaluationClass,
  type PolicyDepartment,
} from '../../domain/evaluation/types.ts';
import { policyListSchema, type PolicyListDto } from './schemas.ts';

type ItemDto = PolicyListDto['items'][number];
type PolicyDto = ItemDto['policies'][number];
type SummaryDto = PolicyListDto['summary'][number];

/** A firm of a list as computed (policy-ledger.ts): what the schema writes of it, and more it may drop. */
export interface PolicyListItem {
  class: EvaluationClass;
  policies: (Omit<PolicyDto, 'department'> & { department: PolicyDepartment })[];
}

export interface ComputedPolicyList<T extends PolicyListItem = PolicyListItem> {
  runId: number;
  year: number;
  ruleSet: { code: string; version: number };
  items: T[];
}

const itemSchema = policyListSchema.shape.items.element;
const policySchema = itemSchema.shape.policies.element;
const CLASSES: EvaluationClass[] = ['A', 'B', 'C', 'D'];
const TAIL = Buffer.from(']}');
const COMMA = Buffer.from(',');

/** A run's whole list in one scope, as bytes. */
interface PolicyBytes {
  runId: number;
  year: number;
  ruleSet: { code: string; version: number };
  /** every firm's JSON, firm after firm; a firm's is its head, its policies joined by ",", and "]}" */
  bytes: Buffer;
  /** where firm i begins (and, at i + 1, ends) */
  itemStart: Uint32Array;
  /** its class (index into CLASSES) */
  itemClass: Uint8Array;
  /** its first policy (and, at i + 1, the first policy of the next firm) */
  firstPolicy: Uint32Array;
  /** where policy j begins and ends in `bytes` */
  policyStart: Uint32Array;
  policyEnd: Uint32Array;
  /** its department (index into POLICY_DEPARTMENTS) */
  policyDepartment: Uint8Array;
  /** its policy id, for the totals (index into the ids in order of first appearance) */
  policyId: Uint16Array;
  /** what the totals show of it (index into `descriptors`): the policy without its amount and formula */
  policyDescriptor: Uint16Array;
  /** its amount, null as 0 (as the totals add it) */
  policyAmount: Float64Array;
  descriptors: SummaryDto['policy'][];
}

/** A list as the API pages it: the firms of a whole list that are on it, and its totals. */
export interface PolicyListView {
  list: PolicyBytes;
  /** the firms on it, in the whole list's order (null: every firm) */
  items: Uint32Array | null;
  /** the department whose policies alone it shows (-1: every policy) */
  department: number;
  total: number;
  summary: SummaryDto[];
  /** its pages, written once (bounded: a reader stepping through every page size keeps at most 64) */
  pages: Map<string, Buffer>;
}

/**
 * The list as bytes. Each firm and each policy is written through the route's schema here, once, as the
 * route wrote a page's firms before (one JSON.stringify of schema.parse): the same text, key for key.
 */
export function policyBytes(list: ComputedPolicyList): PolicyBytes {
  const texts: string[] = [];
  const n = list.items.length;
  let m = 0;
  for (const it of list.items) m += it.policies.length;
  const itemStart = new Uint32Array(n + 1);
  const itemClass = new Uint8Array(n);
  const firstPolicy = new Uint32Array(n + 1);
  const policyStart = new Uint32Array(m);
  const policyEnd = new Uint32Array(m);
  const policyDepartment = new Uint8Array(m);
  const policyId = new Uint16Array(m);
  const policyDescriptor = new Uint16Array(m);
  const policyAmount = new Float64Array(m);
  const ids = new Map<string, number>();
  const descriptorIndex = new Map<string, number>();
  const descriptors: SummaryDto['policy'][] = [];
  let at = 0;
  let j = 0;
  const push = (text: string) => {
    texts.push(text);
    at += Buffer.byteLength(text);
  };
  list.items.forEach((it, i) => {
    itemStart[i] = at;
    itemClass[i] = CLASSES.indexOf(it.class);
    firstPolicy[i] = j;
    const head = JSON.stringify(itemSchema.parse({ ...it, policies: [] }));
    // the schema writes the policies last: a firm's text is its head up to "[", its policies, "]}"
    if (!head.endsWith('"policies":[]}')) throw new Error('policy list: policies are not the last key');
    push(head.slice(0, -2));
    it.policies.forEach((p, k) => {
      if (k) push(',');
      policyStart[j] = at;
      push(JSON.stringify(policySchema.parse(p)));
      policyEnd[j] = at;
      policyDepartment[j] = POLICY_DEPARTMENTS.indexOf(p.department);
      const { amount, formula, ...policy } = p;
      void formula;
      policyAmount[j] = amount ?? 0;
      if (!ids.has(p.id)) ids.set(p.id, ids.size);
      policyId[j] = ids.get(p.id)!;
      const key = JSON.stringify(policy);
      let d = descriptorIndex.get(key);
      if (d === undefined) {
        descriptorIndex.set(key, (d = descriptors.length));
        descriptors.push(policy as SummaryDto['policy']);
      }
      policyDescriptor[j] = d;
      j++;
    });
    push(']}');
  });
  itemStart[n] = at;
  firstPolicy[n] = j;
  const bytes = Buffer.from(texts.join(''));
  if (bytes.length !== at) throw new Error('policy list: byte offsets do not add up');
  return {
    runId: list.runId,
    year: list.year,
    ruleSet: list.ruleSet,
    bytes,
    itemStart,
    itemClass,
    firstPolicy,
    policyStart,
    policyEnd,
    policyDepartment,
    policyId,
    policyDescriptor,
    policyAmount,
    descriptors,
  };
}

/**
 * The list of one class, with the policies of one department (a firm with none left is not on it), in
 * the whole list's order: what computing the list with that filter gives, since a firm's policies are all
 * of its own class and the department filter applies to them after the best of each kind is chosen.
 */
export function policyView(
  list: PolicyBytes,
  q: { class?: EvaluationClass; department?: PolicyDepartment } = {},
): PolicyListView {
  const department = q.department ? POLICY_DEPARTMENTS.indexOf(q.department) : -1;
  const cls = q.class ? CLASSES.indexOf(q.class) : -1;
  let items: Uint32Array | null = null;
  if (cls >= 0 || department >= 0) {
    const on: number[] = [];
    for (let i = 0; i + 1 < list.itemStart.length; i++) {
      if (cls >= 0 && list.itemClass[i] !== cls) continue;
      if (department >= 0 && !policiesOf(list, i, department).length) continue;
      on.push(i);
    }
    items = Uint32Array.from(on);
  }
  const total = items ? items.length : list.itemStart.length - 1;
  // the totals per policy, in order of first appearance, summed in the list's order (as the objects were)
  const totals = new Map<number, SummaryDto>();
  for (let k = 0; k < total; k++)
    for (const j of policiesOf(list, items ? items[k]! : k, department)) {
      const id = list.policyId[j]!;
      let s = totals.get(id);
      if (!s)
        totals.set(id, (s = { policy: list.descriptors[list.policyDescriptor[j]!]!, firms: 0, amount: 0 }));
      s.firms++;
      s.amount += list.policyAmount[j]!;
    }
  return { list, items, department, total, summary: [...totals.values()], pages: new Map() };
}

function policiesOf(list: PolicyBytes, i: number, department: number): number[] {
  const out: number[] = [];
  for (let j = list.firstPolicy[i]!; j < list.firstPolicy[i + 1]!; j++)
    if (department < 0 || list.policyDepartment[j] === department) out.push(j);
  return out;
}

/** One firm's JSON on the view: its whole text, or its head, the department's policies and "]}". */
function itemBytes(view: PolicyListView, i: number): Buffer[] {
  const { list } = view;
  if (view.department < 0) return [list.bytes.subarray(list.itemStart[i]!, list.itemStart[i + 1]!)];
  const parts = [list.bytes.subarray(list.itemStart[i]!, list.policyStart[list.firstPolicy[i]!]!)];
  policiesOf(list, i, view.department).forEach((j, k) => {
    if (k) parts.push(COMMA);
    parts.push(list.bytes.subarray(list.policyStart[j]!, list.policyEnd[j]!));
  });
  parts.push(TAIL);
  return parts;
}

const MAX_PAGES_PER_LIST = 64;

/**
 * One page of the view as the bytes the route sends: the page's head and tail (run, totals, page) through
 * the route's schema, and between them the firms' kept bytes. Kept beside the view.
 */
export function policyPageBytes(view: PolicyListView, page: number, pageSize: number): Buffer {
  const key = `${page}:${pageSize}`;
  let bytes: Buffer | undefined = view.pages.get(key);
  if (bytes) return bytes;
  const { list } = view;
  const shell = JSON.stringify(
    policyListSchema.parse({
      runId: list.runId,
      year: list.year,
      ruleSet: list.ruleSet,
      items: [],
      total: view.total,
      summary: view.summary,
      page,
      pageSize,
    }),
  );
  // the first "items":[ is the key itself: before it come only numbers and the rule set's code, whose
  // quotes JSON escapes
  const cut = shell.indexOf('"items":[') + '"items":['.length;
  const parts: Buffer[] = [Buffer.from(shell.slice(0, cut))];
  const from = (page - 1) * pageSize;
  const to = Math.min(view.total, from + pageSize);
  for (let k = from; k < to; k++) {
    if (k > from) parts.push(COMMA);
    parts.push(...itemBytes(view, view.items ? view.items[k]! : k));
  }
  parts.push(Buffer.from(shell.slice(cut)));
  bytes = Buffer.concat(parts);
  if (view.pages.size >= MAX_PAGES_PER_LIST) view.pages.delete(view.pages.keys().next().value!);
  view.pages.set(key, bytes);
  return bytes;
}

/** The firms of the view as the API writes them (for the ledger download), read back from their bytes. */
export function* viewItems(view: PolicyListView): Generator<ItemDto> {
  for (let k = 0; k < view.total; k++)
    yield JSON.parse(Buffer.concat(itemBytes(view, view.items ? view.items[k]! : k)).toString()) as ItemDto;
}
