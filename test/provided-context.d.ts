/** Values the global setup hands to the tests and to the workerd pool's bindings. */
export interface TestStreamBinding {
  chat_id: number;
  message_thread_id: number;
}

declare module "vitest" {
  export interface ProvidedContext {
    emulatorUrl: string;
    testStreams: Record<string, TestStreamBinding>;
  }
}
