// The chain atlas as relations other modules join in their own SQL (issue 11): chains owns its chains, nodes
// and placements; a reader (the cluster index's chain coverage) joins these subqueries instead of naming the
// tables. Plain selects that PostgreSQL pulls up into the caller's query.
import { sql, type SQL } from 'drizzle-orm';
import { chainNodes, chains, enterpriseChainNodes } from '../../db/schema.ts';

/** Every node of every chain, with the chain's cluster: cluster_code, chain_code, node_code. */
export const chainNodesByCluster = (): SQL =>
  sql`(select c.cluster_code, n.chain_code, n.code as node_code
         from ${chainNodes} n join ${chains} c on c.code = n.chain_code)`;

/**
 * The firms placed on nodes (placements in force: assigned, not merely proposed), with the chain's cluster:
 * enterprise_id, chain_code, node_code, cluster_code.
 */
export const assignedPlacements = (): SQL =>
  sql`(select ecn.enterprise_id, ecn.chain_code, ecn.node_code, c.cluster_code
         from ${enterpriseChainNodes} ecn join ${chains} c on c.code = ecn.chain_code
        where ecn.assigned)`;

/** Every node of every chain by itself (no join): chain_code, code — a chain's code is its cluster's code. */
export const chainNodeRows = (): SQL => sql`(select chain_code, code from ${chainNodes})`;

/** The placements in force (assigned) by themselves (no join): enterprise_id, chain_code, node_code. */
export const nodePlacements = (): SQL =>
  sql`(select enterprise_id, chain_code, node_code from ${enterpriseChainNodes} where assigned)`;
