export {
  GenAiAttributes,
  type GenAiUsage,
  readGenAiUsage,
  YardstickAttributes,
} from './genai-attributes.ts';
export { type GenAiSpanProcessorOptions, GenAiUsageSpanProcessor } from './genai-span-processor.ts';
export { activeTraceparent, formatTraceparent, parseTraceparent } from './traceparent.ts';
