// The one place that decides how a JSON reply is checked, and whether it gets one repair turn.
import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { SchemaError } from '../../../shared/chat/jsonSchema';
import { schemaProblem, validateJson } from '../../../shared/chat/jsonSchema';
import { readJsonText } from '../../../shared/chat/jsonText';
import { chatOptionFields } from '../../../shared/chat/options.description';
import type { ChatOptions } from '../../../shared/chat/options';
import { simplifyCompletion } from '../../../shared/chat/response';
import type { Fail } from '../../../shared/chat/validation';
import { repairInvalidJson } from './description';

/** What a JSON reply of one item is held to; undefined for a text reply. */
export interface JsonCheck {
	schema?: IDataObject;
	repair: boolean;
}

/** Sends the conversation once more (not streamed) and returns the provider's completion. */
export type AskAgain = (messages: IDataObject[]) => Promise<IDataObject>;

/** The most problems listed, in the error and in the repair turn: enough to act on. */
const MAX_LISTED = 20;

const labelOf = (name: string) =>
	chatOptionFields.find((field) => field.name === name)?.displayName ?? name;

/** The item's check, from its options; a schema the node cannot check against is refused here. */
export function jsonCheckFor(
	chatOptions: ChatOptions,
	itemOptions: IDataObject,
	fail: Fail,
	itemIndex: number,
): JsonCheck | undefined {
	const format = chatOptions.responseFormat;
	if (format.type === 'text') return undefined;
	const repair = itemOptions[repairInvalidJson.name] !== false;
	if (format.type === 'jsonObject') return { repair };
	const problem = schemaProblem(format.schema);
	if (problem) fail(`${labelOf('jsonSchema')} cannot be used: ${problem} [item ${itemIndex}]`);
	return { schema: format.schema, repair };
}

/** The problems of one reply's JSON: none when it parses (and matches the schema, if any). */
function judge(text: string, check: JsonCheck): { value?: unknown; problems: SchemaError[] } {
	const parsed = readJsonText(text, check.repair);
	if (!parsed.ok)
		return { problems: [{ path: '$', message: `is not valid JSON (${parsed.error})` }] };
	const problems = check.schema ? validateJson(check.schema, parsed.value) : [];
	return { value: parsed.value, problems };
}

const listed = (problems: SchemaError[]) => {
	const lines = problems.slice(0, MAX_LISTED).map((p) => `- ${p.path}: ${p.message}`);
	if (problems.length > MAX_LISTED) lines.push(`- … and ${problems.length - MAX_LISTED} more`);
	return lines.join('\n');
};

/** The repair turn's question: the problems by JSON path, and what to answer with. */
export function repairRequest(problems: SchemaError[], schema: boolean): string {
	return [
		schema
			? 'Your reply is not JSON that matches the required JSON Schema. The problems (JSON path: problem):'
			: 'Your reply is not valid JSON:',
		listed(problems),
		'Answer again with the corrected JSON only: no explanation, no Markdown code fence.',
	].join('\n');
}

function cutOff(node: INode, text: string, itemIndex: number): NodeOperationError {
	return new NodeOperationError(
		node,
		`The model's reply for item ${itemIndex} was cut off by the token limit before its JSON was complete`,
		{
			itemIndex,
			description: `Raise "${labelOf('maxTokens')}" in the options (reasoning models spend tokens on thinking first). Reply (start): ${text.slice(0, 200)}`,
		},
	);
}

function invalid(
	node: INode,
	problems: SchemaError[],
	text: string,
	itemIndex: number,
	check: JsonCheck,
	after: string,
): NodeOperationError {
	const parseError = /^is not valid JSON \((.*)\)$/s.exec(problems[0].message);
	const what = parseError
		? `is not valid JSON${after}: ${parseError[1]}`
		: `does not match the ${labelOf('jsonSchema')}${after}: ${problems
				.slice(0, 3)
				.map((p) => `${p.path} ${p.message}`)
				.join('; ')}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}`;
	const lines = [listed(problems)];
	if (!check.repair)
		lines.push(`Turn on "${repairInvalidJson.displayName}" to have the model correct it once.`);
	lines.push(`Reply (start): ${text.slice(0, 200)}`);
	return new NodeOperationError(node, `The model's reply for item ${itemIndex} ${what}`, {
		itemIndex,
		description: lines.join('\n'),
	});
}

/** Both calls' token counts added up; a count neither call reported stays null. */
function addUsage(first: IDataObject, second: IDataObject): IDataObject {
	const sum: IDataObject = {};
	for (const key of new Set([...Object.keys(first), ...Object.keys(second)])) {
		const counts = [first[key], second[key]].filter((v): v is number => typeof v === 'number');
		sum[key] = counts.length > 0 ? counts.reduce((a, b) => a + b, 0) : null;
	}
	return sum;
}

/**
 * The simplified output of a completion, its JSON checked. A reply that fails the check gets
 * one repair turn when allowed (one completion asked for, not cut off); then it passes or the
 * item fails with the problems listed.
 */
export async function checkedOutput(
	node: INode,
	completion: IDataObject,
	check: JsonCheck | undefined,
	itemIndex: number,
	conversation: IDataObject[],
	askAgain: AskAgain,
): Promise<IDataObject> {
	const output = simplifyCompletion(completion);
	if (!check) return output;
	const choices = (output.completions as IDataObject[] | undefined) ?? [output];
	const judged = choices.map((choice) => {
		const text = String(choice.text);
		if (choice.finishReason === 'length') throw cutOff(node, text, itemIndex);
		// A reply of only tool calls or a refusal has no JSON to check.
		return text === '' ? { text, problems: [] } : { text, ...judge(text, check) };
	});
	const failing = judged.findIndex((result) => result.problems.length > 0);
	if (failing < 0) {
		judged.forEach((result, index) => {
			if ('value' in result) choices[index].json = result.value as IDataObject;
		});
		// With several completions the output's top fields are a copy of the first one's.
		if (output.completions && choices[0].json !== undefined) output.json = choices[0].json;
		return check.repair ? { ...output, repairs: 0 } : output;
	}
	const { text, problems } = judged[failing];
	// A repair turn continues one conversation: with several completions there is none to continue.
	if (!check.repair || choices.length > 1) {
		const which = choices.length > 1 ? ` (completion ${failing + 1})` : '';
		throw invalid(node, problems, text, itemIndex, check, which);
	}
	const second = await askAgain([
		...conversation,
		{ role: 'assistant', content: text },
		{ role: 'user', content: repairRequest(problems, check.schema !== undefined) },
	]);
	const repaired = simplifyCompletion(second);
	const repairedText = String(repaired.text);
	if (repaired.finishReason === 'length') throw cutOff(node, repairedText, itemIndex);
	const again = judge(repairedText, check);
	if (again.problems.length > 0)
		throw invalid(
			node,
			again.problems,
			repairedText,
			itemIndex,
			check,
			', also after one repair turn',
		);
	return {
		...repaired,
		json: again.value as IDataObject,
		usage: addUsage(output.usage as IDataObject, repaired.usage as IDataObject),
		repairs: 1,
	};
}
