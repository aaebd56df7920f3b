// `node scripts/bench-table.mjs ROWS [--quick] [--write FILE]`: one table of every benchmark figure (tooling/bench-rows.ts), printed and written into BENCHMARKS.md.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

const START = '<!-- bench-table:start -->';
const END = '<!-- bench-table:end -->';

/** @param {number} n */
function num(n) {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  return abs >= 100 ? n.toFixed(0) : abs >= 10 ? n.toFixed(1) : n.toFixed(2);
}

/** @param {{ kind: string, value?: number }} goal */
function goalText(goal, unit) {
  switch (goal.kind) {
    case 'ratio-at-least':
      return `≥ ${goal.value}×`;
    case 'at-most':
      return `≤ ${goal.value} ${unit}`;
    case 'at-least':
      return `≥ ${goal.value} ${unit}`;
    default:
      return '—';
  }
}

/** @returns {boolean | null} */
function verdict(row) {
  const { goal } = row;
  if (goal.kind === 'ratio-at-least')
    return row.ratio === undefined ? null : row.ratio >= goal.value;
  if (goal.kind === 'at-most') return row.ours <= goal.value;
  if (goal.kind === 'at-least') return row.ours >= goal.value;
  return null;
}

function chromiumVersion() {
  try {
    return execFileSync('/usr/bin/chromium', ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'Chromium not found';
  }
}

/** @param {object[]} rows */
function renderTable(rows, { quick, date, machine }) {
  const lines = [
    `Measured by \`pnpm bench${quick ? ' --quick' : ''}\` on ${date}; ${machine}.`,
    '',
    '| suite | figure | ours | reference (same run) | ratio | goal | result |',
    '| ----- | ------ | ---- | -------------------- | ----- | ---- | ------ |',
  ];
  for (const row of rows) {
    const ref = row.reference
      ? `${row.reference.name}: ${num(row.reference.value)} ${row.unit}`
      : '—';
    const ratio = row.ratio === undefined ? '—' : `${row.ratio.toFixed(2)}×`;
    const pass = verdict(row);
    const result = pass === null ? 'reported' : pass ? 'pass' : 'FAIL';
    lines.push(
      `| ${row.suite} | ${row.figure} | ${num(row.ours)} ${row.unit} | ${ref} | ${ratio} | ${goalText(row.goal, row.unit)} | ${result} |`,
    );
  }
  const judged = rows.map(verdict).filter((v) => v !== null);
  lines.push('', `${judged.filter(Boolean).length} of ${judged.length} goals met.`);
  return lines.join('\n');
}

function main() {
  const [rowsFile, ...flags] = process.argv.slice(2);
  if (!rowsFile) throw new Error('usage: bench-table.mjs ROWS [--quick] [--write FILE]');
  const quick = flags.includes('--quick');
  const writeAt = flags.indexOf('--write');
  const target = writeAt >= 0 ? flags[writeAt + 1] : undefined;
  const rows = existsSync(rowsFile)
    ? readFileSync(rowsFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];
  const machine = `${os.availableParallelism()} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${chromiumVersion()}`;
  const table = renderTable(rows, {
    quick,
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    machine,
  });
  process.stdout.write(`\n== benchmark table ==\n${table}\n`);
  if (!target || rows.length === 0) return;
  const doc = readFileSync(target, 'utf8');
  const block = `${START}\n${table}\n${END}`;
  const next = doc.includes(START)
    ? doc.slice(0, doc.indexOf(START)) + block + doc.slice(doc.indexOf(END) + END.length)
    : doc.replace(/\n## /, `\n## Table (written by \`pnpm bench\`)\n\n${block}\n\n## `);
  writeFileSync(target, next);
  process.stdout.write(`written into ${target}\n`);
}

main();
