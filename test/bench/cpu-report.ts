// Preloaded into a process the benchmarks run (node --import): on exit it writes the CPU
// time the process used to stderr, as one line `cpu-usage {"user":..,"system":..}` (us).
process.on('exit', () => {
  process.stderr.write(`cpu-usage ${JSON.stringify(process.cpuUsage())}\n`);
});
