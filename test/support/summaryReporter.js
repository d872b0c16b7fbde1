const path = require('node:path');

/** The describe block a skip notice sits in (test/support/shared.ts, SKIP_NOTICE_BLOCK). */
const SKIP_NOTICE_BLOCK = 'missing test data';

// Prints, for each suite skipped for want of test data, one line saying what to provide;
// then the plain closing line CI reads: "N passed, N failed".
class SummaryReporter {
	constructor(globalConfig) {
		this.rootDir = globalConfig.rootDir;
	}

	onRunComplete(_contexts, results) {
		for (const file of results.testResults) {
			const notices = new Set(
				file.testResults
					.filter(
						(test) => test.status === 'pending' && test.ancestorTitles[0] === SKIP_NOTICE_BLOCK,
					)
					.map((test) => test.title),
			);
			if (notices.size === 0) continue;
			const pending = file.testResults.filter((test) => test.status === 'pending').length;
			const where = path.relative(this.rootDir, file.testFilePath);
			const notRun = pending - notices.size;
			const count = `${notRun} ${notRun === 1 ? 'test' : 'tests'} not run`;
			for (const notice of notices) console.log(`${where} (${count}): ${notice}`);
		}
		const skipped = results.numPendingTests + results.numTodoTests;
		const line = `jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed`;
		console.log(skipped ? `${line}, ${skipped} skipped` : line);
	}
}
module.exports = SummaryReporter;
