// LLM Chat Model: a tool call whose arguments are not a JSON object reaches the agent as an
// invalid call, never as a call with {} that would run the tool with nothing.
import type { IDataObject } from 'n8n-workflow';

import { completion, useFaultServer } from '../support/faultServer';
import { choice, streamEvents } from '../support/fixtures';
import type { Scenario } from '../support/modelEngine';
import { runModelWorkflow } from '../support/modelEngine';
import { credentialsFor } from '../support/params';

const server = useFaultServer();

/** A reply cut off inside the arguments, as a model out of tokens sends it. */
const cutOff = completion('', {
	choices: [
		choice(
			{
				content: '',
				tool_calls: [
					{
						id: 'call_7',
						type: 'function',
						function: { name: 'get_weather', arguments: '{"city": "Par' },
					},
				],
			},
			'tool_calls',
		),
	],
});

describe('LLM Chat Model: invalid tool-call arguments', () => {
	it.each(['agent', 'streamAgent'] as Scenario[])(
		'%s: the call comes as an invalid call with its text and the parse error; no tool runs',
		async (scenario) => {
			server.decide = (request) =>
				request.body?.stream === true
					? { kind: 'stream', pieces: streamEvents(cutOff, 4) }
					: { kind: 'reply', status: 200, body: cutOff };
			const { output, error } = await runModelWorkflow({
				parameters: {
					provider: 'openAi',
					model: { __rl: true, mode: 'id', value: 'test-model' },
					options: {},
				},
				credentials: credentialsFor('openAi', server.url),
				scenario,
			});
			expect(error).toBeUndefined();
			const json = output[0].json as IDataObject;
			const rounds = json.rounds as IDataObject[];
			const reply = rounds.find((round) => round.content !== undefined) as IDataObject;
			// No tool ran: the model was asked once, and the agent got no call to run.
			expect(server.seen).toHaveLength(1);
			expect(reply.toolCalls).toEqual([]);
			expect(reply.content).toEqual(
				expect.arrayContaining([
					{
						type: 'invalid_tool_call',
						id: 'call_7',
						name: 'get_weather',
						args: '{"city": "Par',
						error: expect.stringMatching(
							/^The arguments of the call of "get_weather" are not a JSON object/,
						),
					},
				]),
			);
		},
	);
});
