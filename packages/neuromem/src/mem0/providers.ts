/**
 * The provider names Mem0 3.x's factories accept, per config section. A config naming one of them
 * is a Mem0 config that works here; any other name is a typo or a provider Mem0 never had, and is
 * refused rather than silently replaced.
 */
export const MEM0_PROVIDERS = {
  embedder: ['openai', 'aws_bedrock', 'ollama', 'lmstudio', 'together', 'google', 'gemini', 'azure_openai', 'fastembed', 'langchain', 'vertexai', 'huggingface'],
  llm: [
    'openai',
    'openai_structured',
    'anthropic',
    'groq',
    'ollama',
    'lmstudio',
    'google',
    'gemini',
    'azure_openai',
    'mistral',
    'langchain',
    'deepseek',
    'xai',
    'sarvam',
    'aws_bedrock',
    'litellm',
    'minimax',
    'together',
    'vllm',
  ],
  vectorStore: [
    'memory',
    'baidu',
    'qdrant',
    'chroma',
    'redis',
    'valkey',
    'supabase',
    'langchain',
    'vectorize',
    'azure-ai-search',
    'vertex_ai_vector_search',
    'pgvector',
    'databricks',
    'neptune',
    'neptune-analytics',
    'elasticsearch',
    'opensearch',
    'upstash_vector',
    'azure_mysql',
    'cassandra',
    'pinecone',
    's3-vectors',
    's3_vectors',
    'turbopuffer',
    'milvus',
    'mongodb',
    'weaviate',
    'oracledb',
  ],
  reranker: ['cohere', 'zero_entropy', 'sentence_transformer', 'huggingface', 'llm_reranker'],
  historyStore: ['sqlite', 'supabase', 'memory'],
} as const satisfies Record<string, readonly string[]>;

export type Mem0Section = keyof typeof MEM0_PROVIDERS;

/** The provider Mem0 uses when a section leaves it out. */
export const MEM0_DEFAULT_PROVIDERS: Readonly<Record<Mem0Section, string>> = {
  embedder: 'openai',
  llm: 'openai',
  vectorStore: 'memory',
  reranker: 'cohere',
  historyStore: 'sqlite',
};
