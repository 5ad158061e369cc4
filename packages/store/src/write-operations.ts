import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { createErrorFactory, inScope, type Edge, type EdgeKey, type MemoryRecord, type Scale, type Scope } from '@neuromem/core';
import type { HistoryEntry, ValidMemory, ValidPatch } from '@neuromem/core';
import { CURRENT_FROM, RECORD_COLUMNS, rowScope, rowToRecord, type RecordRow } from './record-rows';
import { LIVE_NODES_SQL, NODE_OF } from './schema';
import { decodeVector, encodeTokenVectors, storedVector, type VectorPrecision } from './vector-codec';
import type { OwnedVectorChange, VectorOwner } from './owner-vector-segments';
import { createMentionRows } from './entity-mention-index';
import { createOwnerTextRows } from './owner-text-index';
import { createOwnerVectorRows } from './owner-vector-rows';
import { createMetaCounter } from './meta-counter';
import { RECLAIMABLE_BYTES_KEY, REMOVED_ROW_OVERHEAD } from './compact-database';
import { SNAPSHOT_RECORD_SQL } from './derived-vector-index';
import { EDGE_TYPE_CODES } from './edge-type-codes';

const fail = createErrorFactory('store');

type HistoryEvent = HistoryEntry['event'];

/**
 * An edge is live (walked by the graph) when both its ends are current memories or sessions. It
 * takes the next write-order number; an edge that already exists keeps its own.
 */
const INSERT_EDGE = `INSERT INTO edges (from_n, to_n, type, weight, label, created_at, live, seq)
  VALUES (@from, @to, @type, @weight, @label, @createdAt, ${LIVE_NODES_SQL('@from', '@to')}, @seq)`;

/** What a committed transaction asks the derived indexes (vectors, graph) to do next. */
export interface DerivedChanges {
  vectorAdds: Array<OwnedVectorChange & { vector: Float32Array }>;
  vectorRemovals: OwnedVectorChange[];
  nodesAdded: Array<{ id: string; node: 'memory' | 'session' }>;
  nodesDropped: string[];
  edges: Edge[];
}

export const emptyChanges = (): DerivedChanges => ({ vectorAdds: [], vectorRemovals: [], nodesAdded: [], nodesDropped: [], edges: [] });

/** `vectors.data` of a vector kept only in its owner's row (see stored-vector-rows.ts). */
const EMPTY_BLOB = Buffer.alloc(0);

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** A version's `hash` column: the text's SHA-256 as 32 bytes (schema 13). */
const textHash = (text: string) => createHash('sha256').update(text).digest();

const ownerOf = (scope: Scope): VectorOwner => ({ userId: scope.userId ?? null, agentId: scope.agentId ?? null });
const rowOwner = (row: Pick<RecordRow, 'user_id' | 'agent_id'>): VectorOwner => ({ userId: row.user_id, agentId: row.agent_id });
export const sessionNodeId = (scope: Scope) => `session:${sha256(JSON.stringify([scope.userId ?? null, scope.agentId ?? null, scope.sessionId])).slice(0, 24)}`;

/**
 * The statements behind every write. Each exported operation runs inside the caller's transaction
 * and appends what the derived indexes must replay after the commit.
 */
export function createWriteOperations(db: Database, vectorPrecision: VectorPrecision) {
  const s = {
    memoryExists: db.prepare<[string], { seq: number; current_row: number | null }>('SELECT seq, current_row FROM memories WHERE id = ?'),
    // Its ADD event is the row itself: `added` is the event's number in the log (see schema.ts).
    insertMemory: db.prepare<[string, number | null, number, number]>('INSERT INTO memories (id, current_row, session, created_at, added) VALUES (?, NULL, ?, ?, ?)'),
    setCurrent: db.prepare('UPDATE memories SET current_row = ? WHERE id = ?'),
    setCurrentOf: db.prepare<[number, number]>('UPDATE memories SET current_row = ? WHERE seq = ?'),
    insertVersion:
      db.prepare(`INSERT INTO memory_versions (memory, version, text, kind, scale, user_id, agent_id, session_id, role, event_time, valid_from, valid_to, importance, source, metadata, hash)
      VALUES (@memory, @version, @text, @kind, @scale, @user_id, @agent_id, @session_id, @role, @event_time, @valid_from, NULL, @importance, @source, @metadata, @hash)`),
    closeVersion: db.prepare('UPDATE memory_versions SET valid_to = ? WHERE row_id = ?'),
    current: db.prepare<[string], RecordRow>(`SELECT ${RECORD_COLUMNS} FROM ${CURRENT_FROM} WHERE m.id = ?`),
    insertVector: db.prepare('INSERT INTO vectors (memory_id, scale, data) VALUES (?, ?, ?)'),
    // With the bytes its rows hold (its own and its owner row's copy), which a removal leaves free in their pages.
    vectorsOf: db.prepare<[string], { key: number; scale: Scale; bytes: number }>(
      'SELECT key, scale, length(data) + coalesce((SELECT length(ov.data) FROM owner_vectors ov WHERE ov.key = vectors.key), 0) AS bytes FROM vectors WHERE memory_id = ?',
    ),
    countReclaimable: db.prepare<[{ bytes: number }]>(
      `INSERT INTO meta (key, value) VALUES ('${RECLAIMABLE_BYTES_KEY}', @bytes) ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + @bytes`,
    ),
    deleteVector: db.prepare('DELETE FROM vectors WHERE key = ?'),
    // Only while a snapshot of the scale's index is recorded: without one, the next load builds the
    // index from SQLite and never reads the log (a demoted memory's removal cost ~27 bytes for nothing).
    logRemoval: db.prepare<[{ scale: string; key: number }]>(
      `INSERT INTO index_removals (scale, key) SELECT @scale, @key WHERE EXISTS (SELECT 1 FROM meta WHERE key = ${SNAPSHOT_RECORD_SQL('@scale')})`,
    ),
    // Texts are not copied into the log: they are read back from the versions (`store-reads.ts`).
    history: db.prepare<[string, number, HistoryEvent, number, number]>('INSERT INTO history (memory_id, seq, event, version, at) VALUES (?, ?, ?, ?, ?)'),
    sessionSeq: db.prepare<[string], { seq: number }>('SELECT seq FROM sessions WHERE node_id = ?'),
    insertSession: db.prepare('INSERT INTO sessions (node_id, user_id, agent_id, session_id, created_at) VALUES (?, ?, ?, ?, ?)'),
    // Before the new memory is written: its session's latest current turn.
    previousTurn: db.prepare<[number], { id: string; seq: number }>('SELECT id, seq FROM memories WHERE session = ? AND current_row IS NOT NULL ORDER BY seq DESC LIMIT 1'),
    nodeOf: db.prepare<[{ id: string }], { n: number | null }>(`SELECT ${NODE_OF('@id')} AS n`),
    insertEdge: db.prepare(`${INSERT_EDGE} ON CONFLICT (from_n, to_n, type) DO NOTHING`),
    deleteEdge: db.prepare('DELETE FROM edges WHERE from_n = ? AND to_n = ? AND type = ?'),
    upsertEdge: db.prepare(`${INSERT_EDGE} ON CONFLICT (from_n, to_n, type) DO UPDATE SET weight = excluded.weight, label = excluded.label, live = excluded.live`),
    hideEdgesOf: db.prepare('UPDATE edges SET live = 0 WHERE (from_n = @n OR to_n = @n) AND live = 1'),
    deleteEdgesOf: db.prepare('DELETE FROM edges WHERE from_n = @n OR to_n = @n'),
    deleteVersions: db.prepare<[number]>('DELETE FROM memory_versions WHERE memory = ?'),
    maxVersion: db.prepare<[number], { v: number | null }>('SELECT MAX(version) AS v FROM memory_versions WHERE memory = ?'),
    lastOwner: db.prepare<[number], Pick<RecordRow, 'user_id' | 'agent_id' | 'session_id'>>('SELECT user_id, agent_id, session_id FROM memory_versions WHERE memory = ? ORDER BY version DESC LIMIT 1'),
    deleteHistory: db.prepare('DELETE FROM history WHERE memory_id = ?'),
    deleteMemory: db.prepare('DELETE FROM memories WHERE id = ?'),
    putTokens: db.prepare('INSERT OR REPLACE INTO token_vectors (memory_id, dims, count, scales, data) VALUES (?, ?, ?, ?, ?)'),
    deleteTokens: db.prepare('DELETE FROM token_vectors WHERE memory_id = ?'),
  };

  const ownerRows = createOwnerVectorRows(db);
  const ownerText = createOwnerTextRows(db);
  const mentions = createMentionRows(db);

  function putTokens(id: string, tokens: Float32Array[]): void {
    if (tokens.length === 0) return void s.deleteTokens.run(id);
    const encoded = encodeTokenVectors(tokens);
    s.putTokens.run(id, encoded.dims, encoded.count, encoded.scales, encoded.data);
  }

  /** A session keeps one vector; a newer one replaces it (and its index key). */
  function replaceSessionVector(changes: DerivedChanges, sessionNode: string, owner: VectorOwner, vector: Float32Array): void {
    removeVectors(changes, sessionNode, owner);
    insertVectors(changes, sessionNode, owner, [['session', vector]]);
  }

  /** A memory's or session's node number (see `NODE_OF`); undefined for an id that is neither. */
  const nodeOf = (id: string): number | undefined => s.nodeOf.get({ id })?.n ?? undefined;

  // Write-order numbers of edges and log events, saved once per transaction by `finish`.
  const edgeSeq = createMetaCounter(db, 'edge_seq');
  const historySeq = createMetaCounter(db, 'history_seq');
  const log = (changes: DerivedChanges, id: string, event: HistoryEvent, version: number, at: number) => s.history.run(id, historySeq.next(changes), event, version, at);

  /** `nodes`: the ends' node numbers when the caller has them, else they are looked up. */
  function addEdge(changes: DerivedChanges, edge: Edge, upsert = false, nodes?: [from: number, to: number]): void {
    const [from, to] = nodes ?? [nodeOf(edge.from), nodeOf(edge.to)];
    if (from === undefined || to === undefined) throw fail('NOT_FOUND', `an edge end (${from === undefined ? edge.from : edge.to}) is not a memory or session.`);
    // In the write's transaction: a rolled-back write takes its numbers back with it.
    const seq = edgeSeq.next(changes);
    (upsert ? s.upsertEdge : s.insertEdge).run({ from, to, type: EDGE_TYPE_CODES[edge.type], weight: edge.weight, label: edge.label, createdAt: edge.createdAt, seq });
    changes.edges.push(edge);
  }

  function insertVectors(changes: DerivedChanges, id: string, owner: VectorOwner, vectors: ValidMemory['vectors']): void {
    for (const [scale, given] of vectors) {
      // Indexes, segments and caches get the vector as it reads back, so none disagrees with SQLite.
      const { blob, vector } = storedVector(given, vectorPrecision);
      // An int8 vector with a user is kept once, in its owner's row (the bytes its segment scans).
      const stored = decodeVector(blob);
      const keptOnce = owner.userId !== null && !(stored instanceof Float32Array) ? stored : undefined;
      const key = Number(s.insertVector.run(id, scale, keptOnce ? EMPTY_BLOB : blob).lastInsertRowid);
      ownerRows.put(owner, scale, key, vector, keptOnce);
      changes.vectorAdds.push({ scale, key, memoryId: id, owner, vector });
    }
  }

  function removeVectors(changes: DerivedChanges, id: string, owner: VectorOwner, onlyScales?: ReadonlySet<Scale>): void {
    let freed = 0;
    for (const { key, scale, bytes } of s.vectorsOf.all(id)) {
      if (onlyScales && !onlyScales.has(scale)) continue;
      s.deleteVector.run(key);
      ownerRows.remove(key);
      s.logRemoval.run({ scale, key });
      changes.vectorRemovals.push({ scale, key, memoryId: id, owner });
      freed += bytes + REMOVED_ROW_OVERHEAD;
    }
    // Deleted rows free room inside their pages, not whole pages: `compact` counts this to know when
    // a rewrite would give it back (demoting half the memories frees no page at all).
    if (freed > 0) s.countReclaimable.run({ bytes: freed });
  }

  /** Links a memory to the owner's latest earlier memory naming each entity; `newest` when it is the memory just written. */
  function linkEntities(changes: DerivedChanges, id: string, seq: number, scope: Scope, entities: readonly string[], now: number, newest: boolean): void {
    for (const { entity, mentioned } of mentions.record(seq, ownerOf(scope), entities, { newest })) {
      if (mentioned.memory_id !== id) addEdge(changes, { from: id, to: mentioned.memory_id, type: 'same_entity', weight: 1, label: entity, createdAt: now }, false, [seq, mentioned.seq]);
    }
  }

  /** Another owner's memory gets the very error an unknown id gets, so ids cannot be probed. */
  function requireCurrent(id: string, scope?: Scope): RecordRow {
    const row = s.current.get(id);
    if (!row || !inScope(rowScope(row), scope)) throw fail('NOT_FOUND', `no current memory with id ${id}; it was never stored, or it was deleted.`, { details: { id } });
    return row;
  }

  return {
    /** Call last inside every write transaction: saves what it counted (the edge and log numbers it handed out). */
    finish(changes: DerivedChanges): void {
      edgeSeq.save(changes);
      historySeq.save(changes);
    },

    insert(memory: ValidMemory, now: number, changes: DerivedChanges): MemoryRecord {
      if (s.memoryExists.get(memory.id)) throw fail('CONFLICT', `a memory with id ${memory.id} already exists; use update() to change it.`, { details: { id: memory.id } });
      const sessionNode = memory.scope.sessionId === undefined ? null : sessionNodeId(memory.scope);
      let session: number | undefined;
      let newSession = false;
      if (sessionNode !== null) {
        session = s.sessionSeq.get(sessionNode)?.seq;
        if (session === undefined) {
          session = Number(s.insertSession.run(sessionNode, memory.scope.userId ?? null, memory.scope.agentId ?? null, memory.scope.sessionId, now).lastInsertRowid);
          newSession = true;
        }
      }
      // Read before the memory is written, so it is the turn before this one.
      const previous = session === undefined ? undefined : s.previousTurn.get(session);
      // The memory's row first (its number is the version's `memory`), pointed at its version after.
      const seq = Number(s.insertMemory.run(memory.id, session ?? null, now, historySeq.next(changes)).lastInsertRowid);
      const version = {
        memory: seq,
        version: 1,
        text: memory.text,
        kind: memory.kind,
        scale: memory.scale,
        user_id: memory.scope.userId ?? null,
        agent_id: memory.scope.agentId ?? null,
        session_id: memory.scope.sessionId ?? null,
        role: memory.role,
        event_time: memory.eventTime,
        valid_from: now,
        importance: memory.importance,
        source: memory.source === null ? null : JSON.stringify(memory.source),
        metadata: JSON.stringify(memory.metadata),
        hash: textHash(memory.text),
      };
      const rowId = Number(s.insertVersion.run(version).lastInsertRowid);
      s.setCurrentOf.run(rowId, seq);
      ownerText.put({ row_id: rowId, user_id: memory.scope.userId ?? null, kind: memory.kind, text: memory.text });
      const owner = ownerOf(memory.scope);
      insertVectors(changes, memory.id, owner, memory.vectors);
      if (memory.tokens) putTokens(memory.id, memory.tokens);
      changes.nodesAdded.push({ id: memory.id, node: 'memory' });

      if (sessionNode !== null && session !== undefined) {
        if (newSession) changes.nodesAdded.push({ id: sessionNode, node: 'session' });
        if (memory.sessionVector) replaceSessionVector(changes, sessionNode, owner, memory.sessionVector);
        // Node numbers: a memory's seq, a session's -seq (see NODE_OF).
        addEdge(changes, { from: memory.id, to: sessionNode, type: 'part_of', weight: 1, label: null, createdAt: now }, false, [seq, -session]);
        if (previous) {
          addEdge(changes, { from: previous.id, to: memory.id, type: 'next', weight: 1, label: null, createdAt: now }, false, [previous.seq, seq]);
          const cue = memory.causalCue;
          if (cue) {
            const consequence = cue.direction === 'consequence';
            const [from, to] = consequence ? [previous.id, memory.id] : [memory.id, previous.id];
            addEdge(changes, { from, to, type: 'causes', weight: cue.weight, label: 'cue', createdAt: now }, false, consequence ? [previous.seq, seq] : [seq, previous.seq]);
          }
        }
      }
      linkEntities(changes, memory.id, seq, memory.scope, memory.entities, now, true);
      // The row as just written, not read back: a read per turn was a twentieth of a batch's statements.
      return rowToRecord({ ...version, id: memory.id, row_id: rowId, valid_to: null, created_at: now, access_count: 0, last_accessed_at: null, seq });
    },

    update(id: string, patch: ValidPatch, now: number, changes: DerivedChanges, scope?: Scope): MemoryRecord {
      const current = requireCurrent(id, scope);
      const text = patch.text ?? current.text;
      const textChanged = text !== current.text;
      if (textChanged) {
        const given = new Set(patch.vectors.map(([scale]) => scale));
        const stale = s.vectorsOf
          .all(id)
          .filter((v) => !given.has(v.scale))
          .map((v) => v.scale);
        if (stale.length > 0) {
          throw fail('INVALID_INPUT', `the text changed but no new vector was given for scale(s) ${stale.join(', ')}; pass patch.vectors for the new text.`, { details: { id, scales: stale } });
        }
      }
      s.closeVersion.run(now, current.row_id);
      const rowId = Number(
        s.insertVersion.run({
          memory: current.seq,
          version: current.version + 1,
          text,
          kind: patch.kind ?? current.kind,
          scale: current.scale,
          user_id: current.user_id,
          agent_id: current.agent_id,
          session_id: current.session_id,
          role: current.role,
          event_time: current.event_time,
          valid_from: now,
          importance: patch.importance ?? current.importance,
          source: current.source,
          metadata: patch.metadata === undefined ? current.metadata : JSON.stringify(patch.metadata),
          hash: textHash(text),
        }).lastInsertRowid,
      );
      s.setCurrent.run(rowId, id);
      ownerText.remove(current);
      ownerText.put({ row_id: rowId, user_id: current.user_id, kind: patch.kind ?? current.kind, text });
      if (patch.vectors.length > 0) {
        const owner = rowOwner(current);
        removeVectors(changes, id, owner, new Set(patch.vectors.map(([scale]) => scale)));
        insertVectors(changes, id, owner, patch.vectors);
      }
      if (patch.tokens) putTokens(id, patch.tokens);
      else if (textChanged) s.deleteTokens.run(id); // they describe the old text
      // Mentions describe a text: new text without new entities keeps none (the caller extracts them).
      if (textChanged || patch.entities) {
        mentions.remove(current.seq);
        linkEntities(changes, id, current.seq, rowToRecord(current).scope, patch.entities ?? [], now, false);
      }
      log(changes, id, 'UPDATE', current.version + 1, now);
      return rowToRecord(requireCurrent(id));
    },

    /** Storage tiers: the memory's vectors replaced (or dropped) in place; no version, no history. */
    setVectors(id: string, vectors: ValidMemory['vectors'], changes: DerivedChanges, scope?: Scope): void {
      const current = requireCurrent(id, scope);
      const owner = rowOwner(current);
      removeVectors(changes, id, owner);
      insertVectors(changes, id, owner, vectors);
      if (vectors.length === 0) s.deleteTokens.run(id);
    },

    tombstone(id: string, now: number, changes: DerivedChanges, scope?: Scope): void {
      const current = requireCurrent(id, scope);
      s.closeVersion.run(now, current.row_id);
      s.setCurrent.run(null, id);
      ownerText.remove(current);
      removeVectors(changes, id, rowOwner(current));
      s.deleteTokens.run(id);
      s.hideEdgesOf.run({ n: current.seq });
      log(changes, id, 'DELETE', current.version, now);
      changes.nodesDropped.push(id);
    },

    purge(id: string, now: number, changes: DerivedChanges, scope?: Scope): void {
      const memory = s.memoryExists.get(id);
      const owner = memory ? s.lastOwner.get(memory.seq) : undefined;
      if (!memory || !owner || !inScope(rowScope(owner), scope)) throw fail('NOT_FOUND', `no memory with id ${id} to purge.`, { details: { id } });
      const version = s.maxVersion.get(memory.seq)!.v ?? 0;
      removeVectors(changes, id, rowOwner(owner));
      s.deleteTokens.run(id);
      s.deleteEdgesOf.run({ n: memory.seq });
      mentions.remove(memory.seq);
      const live = s.current.get(id);
      if (live) ownerText.remove(live);
      s.deleteVersions.run(memory.seq);
      s.deleteHistory.run(id);
      s.deleteMemory.run(id);
      log(changes, id, 'PURGE', version, now);
      changes.nodesDropped.push(id);
    },

    link(edge: Edge, changes: DerivedChanges): void {
      addEdge(changes, edge, true);
    },

    /** Whether the edge existed; its ends' cached adjacency is dropped either way. */
    unlink(edge: EdgeKey, changes: DerivedChanges): boolean {
      const [from, to] = [nodeOf(edge.from), nodeOf(edge.to)];
      const removed = from !== undefined && to !== undefined && s.deleteEdge.run(from, to, EDGE_TYPE_CODES[edge.type]).changes > 0;
      if (removed) changes.edges.push({ ...edge, weight: 0, label: null, createdAt: 0 });
      return removed;
    },
  };
}
