export { NeuroMemRetriever, type NeuroMemDocumentMetadata, type NeuroMemRetrieverInput } from './neuromem-retriever';
export { MESSAGE_TYPE_KEY, NeuroMemChatMessageHistory, type NeuroMemChatMessageHistoryInput } from './neuromem-chat-message-history';
