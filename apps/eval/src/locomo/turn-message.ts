import { DAY_MS } from '@neuromem/core';
import type { Message } from 'neuromem';
import type { LocomoConversation, LocomoTurn } from './load-locomo';

/** A LoCoMo turn as a chat message for `memory.add`: the speaker's name, the session's date, the dia_id to score by. */
export const turnMessage = (turn: LocomoTurn): Message => ({ role: 'user', name: turn.speaker, content: turn.text, timestamp: turn.time, metadata: { dia_id: turn.diaId } });

/** The `runId` a turn's session is stored under. */
export const sessionRunId = (session: number) => `session_${session}`;

/** When every question is asked: one day after the conversation's last session. */
export const questionTime = (conversation: LocomoConversation) => conversation.sessions.at(-1)!.time + DAY_MS;
