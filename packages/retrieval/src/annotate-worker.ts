import { parentPort, workerData } from 'node:worker_threads';
import { annotateMemory } from './annotate-memory';
import type { AnnotationReply, AnnotationRequest, AnnotationWorkerData } from './create-annotator';

// The worker thread behind `createAnnotator()`: annotates each request's texts, in order, and says
// when its models are loaded (the first annotation loads them). Requests sent meanwhile wait on the
// port until the listener below is attached.
const port = parentPort;
if (port) {
  annotateMemory('Warming up on 1 May 2023 with Ada in Paris.', { eventTime: 0 });
  const { readyPort } = workerData as AnnotationWorkerData;
  readyPort.postMessage('ready');
  readyPort.close();
  port.on('message', ({ id, items }: AnnotationRequest) => {
    try {
      port.postMessage({ id, annotations: items.map(({ text, eventTime }) => annotateMemory(text, { eventTime })) } satisfies AnnotationReply);
    } catch (error) {
      port.postMessage({ id, error: String((error as Error)?.stack ?? error) } satisfies AnnotationReply);
    }
  });
}
