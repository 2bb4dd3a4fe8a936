import type OpenAI from 'openai';
import { toFile } from 'openai';
import type { BatchApi, BatchPoll, ProviderReply } from '../../../harness/plugin-api.js';
import { toProviderError } from './errors.js';

interface BatchLine {
  custom_id: string;
  response?: { status_code: number; body: OpenAI.Chat.Completions.ChatCompletion } | null;
  error?: { message?: string } | null;
}

/** OpenAI Batch API: a JSONL file of chat-completion requests, polled until it completes. */
export function openAiBatch(
  client: () => OpenAI,
  body: (req: Parameters<BatchApi['submit']>[0][number]['request']) => Record<string, unknown>,
  replyOf: (c: OpenAI.Chat.Completions.ChatCompletion) => ProviderReply,
): BatchApi {
  return {
    async submit(items, signal) {
      try {
        const jsonl =
          items
            .map((it) =>
              JSON.stringify({
                custom_id: it.customId,
                method: 'POST',
                url: '/v1/chat/completions',
                body: body(it.request),
              }),
            )
            .join('\n') + '\n';
        const file = await client().files.create(
          { file: await toFile(Buffer.from(jsonl), 'usersim-batch.jsonl'), purpose: 'batch' },
          { signal },
        );
        const batch = await client().batches.create(
          { input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' },
          { signal },
        );
        return batch.id;
      } catch (e) {
        throw toProviderError(e);
      }
    },
    async poll(id, signal): Promise<BatchPoll> {
      let b: Awaited<ReturnType<ReturnType<typeof client>['batches']['retrieve']>>;
      try {
        b = await client().batches.retrieve(id, { signal });
      } catch (e) {
        throw toProviderError(e);
      }
      const counts = b.request_counts ? `${b.request_counts.completed}/${b.request_counts.total} done` : '';
      if (['validating', 'in_progress', 'finalizing', 'cancelling'].includes(b.status))
        return { status: 'pending', detail: `${b.status} ${counts}`.trim() };
      if (!b.output_file_id && !b.error_file_id)
        return {
          status: 'failed',
          message: `batch ${b.status}${b.errors?.data?.[0]?.message ? `: ${b.errors.data[0].message}` : ''}`,
        };
      const results: Array<{ customId: string; reply?: ProviderReply; error?: string }> = [];
      for (const fileId of [b.output_file_id, b.error_file_id]) {
        if (!fileId) continue;
        const text = await (await client().files.content(fileId, { signal })).text();
        for (const raw of text.split('\n')) {
          if (raw.trim() === '') continue;
          const line = JSON.parse(raw) as BatchLine;
          if (line.response && line.response.status_code === 200)
            results.push({ customId: line.custom_id, reply: replyOf(line.response.body) });
          else
            results.push({
              customId: line.custom_id,
              error: line.error?.message ?? `HTTP ${line.response?.status_code ?? '?'}`,
            });
        }
      }
      return { status: 'done', results };
    },
  };
}
