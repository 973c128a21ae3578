/**
 * Runs every test with Hardhat's built-in coverage (`hardhat test --coverage`) and fails unless the
 * contracts reach the threshold for both lines and statements (default 95 %, `COVERAGE_MIN` overrides).
 *
 * Hardhat prints the totals in its coverage table (the lcov file it also writes has no statement counts),
 * so the check reads the "Total" row of that table.
 */
import { spawn } from "node:child_process";

const threshold = Number(process.env.COVERAGE_MIN ?? "95");

const child = spawn("npx", ["hardhat", "test", "--coverage"], { stdio: ["ignore", "pipe", "inherit"] });
let output = "";
child.stdout.on("data", (chunk: Buffer) => {
  process.stdout.write(chunk);
  output += chunk.toString("utf8");
});

const exitCode: number = await new Promise((resolve) => child.on("close", (code) => resolve(code ?? 1)));
if (exitCode !== 0) {
  console.error(`coverage: the test run failed (exit code ${exitCode})`);
  process.exit(exitCode);
}

const total = /║\s*Total\s*│\s*([\d.]+)\s*│\s*([\d.]+)/.exec(output);
if (total === null) {
  console.error("coverage: no 'Total' row found in Hardhat's coverage table");
  process.exit(1);
}
const [lines, statements] = [Number(total[1]), Number(total[2])];
const ok = lines >= threshold && statements >= threshold;
console.log(
  `coverage of contracts/: ${lines.toFixed(2)} % of lines, ${statements.toFixed(2)} % of statements ` +
    `(minimum ${threshold} %): ${ok ? "ok" : "TOO LOW"}`,
);
process.exit(ok ? 0 : 1);
