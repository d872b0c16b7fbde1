// Prints the plain closing line CI reads: "N passed, N failed".
class SummaryReporter {
	onRunComplete(_contexts, results) {
		const skipped = results.numPendingTests + results.numTodoTests;
		const line = `jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed`;
		console.log(skipped ? `${line}, ${skipped} skipped` : line);
	}
}
module.exports = SummaryReporter;
