import { ENTITY_LINKS_PER_MENTION, lexicalTerms, lexicalWords, type Edge, type HistoryEntry, type MemoryRecord, type Scale, type Scope, type ValidMemory } from '@neuromem/core';
import type { PoolClient } from 'pg';
import { createSqlParams } from './sql-params';
import { ownerKey, sessionNodeId, sha256, toBytes, toSqlVector } from './postgres-rows';

/**
 * The statements behind every write, each run on the caller's transaction client: a new memory,
 * its links, and the pieces updates and deletes change.
 */
export function createPostgresWrites({ schema, vectorScales }: { schema: string; vectorScales: Readonly<Partial<Record<Scale, number>>> }) {
  const s = `"${schema}"`;
  const memoryScales: Scale[] = (Object.keys(vectorScales) as Scale[]).filter((scale) => scale !== 'session' && scale !== 'token');

  const addEdge = (client: PoolClient, edge: Edge, upsert = false) =>
    client.query(
      `INSERT INTO ${s}.edges (from_id, to_id, type, weight, label, created_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (from_id, to_id, type) DO ${upsert ? 'UPDATE SET weight = excluded.weight, label = excluded.label' : 'NOTHING'}`,
      [edge.from, edge.to, edge.type, edge.weight, edge.label, edge.createdAt],
    );
  const history = (client: PoolClient, id: string, event: HistoryEntry['event'], version: number, previous: string | null, text: string | null, at: number) =>
    client.query(`INSERT INTO ${s}.history (memory_id, event, version, previous_text, text, at) VALUES ($1, $2, $3, $4, $5, $6)`, [id, event, version, previous, text, at]);
  const putTerms = async (client: PoolClient, id: string, text: string) => {
    const terms = lexicalTerms(text);
    if (terms.length > 0) await client.query(`INSERT INTO ${s}.terms (term, memory_id, tf) SELECT unnest($1::text[]), $2, unnest($3::int[])`, [terms.map((t) => t.term), id, terms.map((t) => t.tf)]);
  };
  const putTokens = (client: PoolClient, id: string, tokens: Float32Array[]) =>
    tokens.length === 0
      ? client.query(`DELETE FROM ${s}.token_vectors WHERE memory_id = $1`, [id])
      : client.query(`INSERT INTO ${s}.token_vectors (memory_id, dims, data) VALUES ($1, $2, $3) ON CONFLICT (memory_id) DO UPDATE SET dims = excluded.dims, data = excluded.data`, [
          id,
          tokens[0]!.length,
          Buffer.concat(tokens.map((t) => Buffer.from(t.buffer, t.byteOffset, t.byteLength))),
        ]);
  const putVector = (client: PoolClient, id: string, scale: Scale, vector: Float32Array) =>
    client.query(`INSERT INTO ${s}.vectors_${scale} (memory_id, embedding, raw) VALUES ($1, $2::vector, $3) ON CONFLICT (memory_id) DO UPDATE SET embedding = excluded.embedding, raw = excluded.raw`, [
      id,
      toSqlVector(vector),
      toBytes(vector),
    ]);

  async function linkEntities(client: PoolClient, id: string, seq: number, scope: Scope, entities: readonly string[], now: number): Promise<void> {
    const owner = ownerKey(scope);
    for (const [position, entity] of entities.entries()) {
      const earlier = await client.query<{ memory_id: string }>(
        `SELECT em.memory_id FROM ${s}.entity_mentions em JOIN ${s}.versions v ON v.id = em.memory_id AND v.valid_to IS NULL
         WHERE em.owner_key = $1 AND em.entity = $2 AND em.seq < $3 ORDER BY em.seq DESC LIMIT ${ENTITY_LINKS_PER_MENTION}`,
        [owner, entity, seq],
      );
      for (const { memory_id } of earlier.rows) if (memory_id !== id) await addEdge(client, { from: id, to: memory_id, type: 'same_entity', weight: 1, label: entity, createdAt: now });
      await client.query(`INSERT INTO ${s}.entity_mentions (owner_key, entity, memory_id, seq, position) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, [owner, entity, id, seq, position]);
    }
  }

  /**
   * Writes one new memory in two statements (one round trip each: a server across a network pays per
   * statement): the rows of the memory itself, reading back what it links to; then its links.
   */
  async function insert(client: PoolClient, memory: ValidMemory, now: number): Promise<MemoryRecord> {
    const session = memory.scope.sessionId === undefined ? null : sessionNodeId(memory.scope);
    const owner = ownerKey(memory.scope);
    const hash = sha256(memory.text);
    const terms = lexicalTerms(memory.text);
    const p = createSqlParams();
    const id = p.add(memory.id);
    const at = p.add(now);
    const text = p.add(memory.text);
    const ctes = [
      `m AS (INSERT INTO ${s}.memories (id, session_node, created_at) VALUES (${id}, ${p.add(session)}, ${at}) RETURNING seq)`,
      `v AS (INSERT INTO ${s}.versions (id, version, text, kind, scale, user_id, agent_id, session_id, role, event_time, valid_from, importance, source, metadata, hash, words)
         VALUES (${id}, 1, ${text}, ${p.add(memory.kind)}, ${p.add(memory.scale)}, ${p.add(memory.scope.userId ?? null)}, ${p.add(memory.scope.agentId ?? null)}, ${p.add(memory.scope.sessionId ?? null)},
           ${p.add(memory.role)}, ${p.add(memory.eventTime)}, ${at}, ${p.add(memory.importance)}, ${p.add(memory.source === null ? null : JSON.stringify(memory.source))}, ${p.add(JSON.stringify(memory.metadata))}, ${p.add(hash)}, ${p.add(lexicalWords(memory.text).length)}))`,
      `h AS (INSERT INTO ${s}.history (memory_id, event, version, previous_text, text, at) VALUES (${id}, 'ADD', 1, NULL, ${text}, ${at}))`,
      `t AS (INSERT INTO ${s}.terms (term, memory_id, tf) SELECT unnest(${p.add(terms.map((term) => term.term))}::text[]), ${id}, unnest(${p.add(terms.map((term) => term.tf))}::int[]))`,
      ...memory.vectors.map(
        ([scale, vector]) => `x_${scale} AS (INSERT INTO ${s}.vectors_${scale} (memory_id, embedding, raw) VALUES (${id}, ${p.add(toSqlVector(vector))}::vector, ${p.add(toBytes(vector))}))`,
      ),
    ];
    if (memory.tokens && memory.tokens.length > 0) {
      ctes.push(`k AS (INSERT INTO ${s}.token_vectors (memory_id, dims, data) VALUES (${id}, ${p.add(memory.tokens[0]!.length)}, ${p.add(Buffer.concat(memory.tokens.map(toBytes)))}))`);
    }
    let previous = 'NULL';
    if (session !== null) {
      const node = p.add(session);
      const withVector = memory.sessionVector && vectorScales.session;
      ctes.push(
        `s AS (INSERT INTO ${s}.sessions (node_id, user_id, agent_id, session_id, created_at${withVector ? ', embedding' : ''})
           VALUES (${node}, ${p.add(memory.scope.userId ?? null)}, ${p.add(memory.scope.agentId ?? null)}, ${p.add(memory.scope.sessionId)}, ${at}${withVector ? `, ${p.add(toSqlVector(memory.sessionVector!))}::vector` : ''})
           ON CONFLICT (node_id) DO ${withVector ? 'UPDATE SET embedding = excluded.embedding' : 'NOTHING'})`,
      );
      // The statement's snapshot does not hold the new row: the latest live turn before it.
      previous = `(SELECT pm.id FROM ${s}.memories pm JOIN ${s}.versions pv ON pv.id = pm.id AND pv.valid_to IS NULL WHERE pm.session_node = ${node} ORDER BY pm.seq DESC LIMIT 1)`;
    }
    // Every mention the snapshot holds is older than this memory: the owner's latest ones per key.
    const earlier =
      memory.entities.length === 0
        ? 'NULL'
        : `(SELECT json_agg(json_build_array(z.entity, z.memory_id)) FROM (SELECT em.entity, em.memory_id, row_number() OVER (PARTITION BY em.entity ORDER BY em.seq DESC) AS r
             FROM ${s}.entity_mentions em JOIN ${s}.versions ev ON ev.id = em.memory_id AND ev.valid_to IS NULL WHERE em.owner_key = ${p.add(owner)} AND em.entity = ANY(${p.add(memory.entities)}::text[])) z WHERE z.r <= ${ENTITY_LINKS_PER_MENTION})`;
    const [row] = (
      await client.query<{ seq: string; previous: string | null; earlier: Array<[string, string]> | null }>(
        `WITH ${ctes.join(',\n')} SELECT (SELECT seq FROM m) AS seq, ${previous} AS previous, ${earlier} AS earlier`,
        p.values,
      )
    ).rows;
    const seq = Number(row!.seq);

    const edges: Edge[] = [];
    if (session !== null) {
      edges.push({ from: memory.id, to: session, type: 'part_of', weight: 1, label: null, createdAt: now });
      if (row!.previous !== null) {
        edges.push({ from: row!.previous, to: memory.id, type: 'next', weight: 1, label: null, createdAt: now });
        const cue = memory.causalCue;
        if (cue) {
          const [from, to] = cue.direction === 'consequence' ? [row!.previous, memory.id] : [memory.id, row!.previous];
          edges.push({ from, to, type: 'causes', weight: cue.weight, label: 'cue', createdAt: now });
        }
      }
    }
    // Keys in the order they were given, each linking to its own earlier mentions, newest first.
    for (const entity of memory.entities) {
      for (const [key, other] of row!.earlier ?? [])
        if (key === entity && other !== memory.id) edges.push({ from: memory.id, to: other, type: 'same_entity', weight: 1, label: entity, createdAt: now });
    }
    await insertLinks(client, memory.id, seq, owner, memory.entities, edges);
    const { vectors: _v, tokens: _t, sessionVector: _sv, entities: _e, causalCue: _c, ...fields } = memory;
    return { ...fields, version: 1, createdAt: now, validFrom: now, validTo: null, accessCount: 0, lastAccessedAt: null, hash };
  }

  /** A memory's entity mentions and its new edges, in one statement. */
  async function insertLinks(client: PoolClient, id: string, seq: number, owner: string, entities: readonly string[], edges: readonly Edge[]): Promise<void> {
    if (entities.length === 0 && edges.length === 0) return;
    await client.query(
      `WITH a AS (INSERT INTO ${s}.entity_mentions (owner_key, entity, memory_id, seq, position)
                  SELECT $1, e.entity, $2, $3, e.position - 1 FROM unnest($4::text[]) WITH ORDINALITY AS e (entity, position) ON CONFLICT DO NOTHING)
       INSERT INTO ${s}.edges (from_id, to_id, type, weight, label, created_at)
       SELECT * FROM unnest($5::text[], $6::text[], $7::text[], $8::float8[], $9::text[], $10::bigint[]) ON CONFLICT (from_id, to_id, type) DO NOTHING`,
      [owner, id, seq, entities, edges.map((e) => e.from), edges.map((e) => e.to), edges.map((e) => e.type), edges.map((e) => e.weight), edges.map((e) => e.label), edges.map((e) => e.createdAt)],
    );
  }

  async function tombstone(client: PoolClient, current: MemoryRecord, now: number): Promise<void> {
    await client.query(`UPDATE ${s}.versions SET valid_to = $3 WHERE id = $1 AND version = $2`, [current.id, current.version, now]);
    for (const scale of memoryScales) await client.query(`DELETE FROM ${s}.vectors_${scale} WHERE memory_id = $1`, [current.id]);
    await client.query(`DELETE FROM ${s}.token_vectors WHERE memory_id = $1`, [current.id]);
    await client.query(`DELETE FROM ${s}.terms WHERE memory_id = $1`, [current.id]);
    await history(client, current.id, 'DELETE', current.version, current.text, null, now);
  }

  return { addEdge, history, putTerms, putTokens, putVector, linkEntities, insert, insertLinks, tombstone };
}
