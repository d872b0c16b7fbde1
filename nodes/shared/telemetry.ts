/** Token usage and trace attributes where n8n 2.x looks for them; n8n 1.x has neither, and is left be. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import * as workflow from 'n8n-workflow';

/** What one answered item reports. */
export interface ItemTelemetry {
	requestModel: string;
	responseModel: string;
	/** The provider's GenAI name. */
	provider: string;
	/** Behind a router: the provider that answered. */
	inferenceProvider?: string;
	usage: IDataObject;
	finishReason?: unknown;
	costUsd?: number;
	fellBack: boolean;
}

type TracingValue = string | number | boolean;

// Imported as a namespace: on n8n 1.x (whose n8n-workflow the package runs with) it is absent.
const accumulate = (workflow as { accumulateTokenUsage?: unknown }).accumulateTokenUsage as
	| ((ctx: IExecuteFunctions, input: number, output: number) => void)
	| undefined;

const tokens = (value: unknown) => (typeof value === 'number' && value >= 0 ? value : 0);

/**
 * One per node run: each item adds its tokens to the run's token usage (n8n's own
 * `accumulateTokenUsage`, as its AI nodes call it) and the totals go to the node's
 * OpenTelemetry span as `tracing` metadata (n8n 2.22+), under GenAI attribute names where
 * OpenTelemetry has one.
 */
export function runTelemetry(ctx: IExecuteFunctions) {
	const canSet = typeof ctx.setMetadata === 'function' && typeof ctx.getExecuteData === 'function';
	let input = 0;
	let output = 0;
	let cost: number | undefined;
	let fallbacks = 0;
	const finishReasons = new Set<string>();
	return (item: ItemTelemetry): void => {
		if (!canSet) return;
		const itemInput = tokens(item.usage.promptTokens);
		const itemOutput = tokens(item.usage.completionTokens);
		input += itemInput;
		output += itemOutput;
		if (item.costUsd !== undefined) cost = (cost ?? 0) + item.costUsd;
		if (item.fellBack) fallbacks++;
		if (typeof item.finishReason === 'string') finishReasons.add(item.finishReason);
		if (typeof accumulate === 'function') accumulate(ctx, itemInput, itemOutput);
		const tracing: Record<string, TracingValue> = {
			'gen_ai.operation.name': 'chat',
			'gen_ai.system': item.provider,
			'gen_ai.provider.name': item.provider,
			'gen_ai.request.model': item.requestModel,
			'gen_ai.response.model': item.responseModel,
			'gen_ai.usage.input_tokens': input,
			'gen_ai.usage.output_tokens': output,
			// An attribute holds one value here: the reasons of all items, comma-separated.
			'gen_ai.response.finish_reasons': [...finishReasons].join(','),
			'llm_chat.fallbacks': fallbacks,
		};
		if (item.inferenceProvider) tracing['llm_chat.inference_provider'] = item.inferenceProvider;
		// OpenTelemetry has no GenAI name for cost.
		if (cost !== undefined) tracing['llm_chat.cost.usd'] = Math.round(cost * 1e10) / 1e10;
		ctx.setMetadata({ tracing });
	};
}
