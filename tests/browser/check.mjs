// check.mjs - what the node test scripts share (the C tests' check.h, for JavaScript):
// expect(ok, what) prints each failed check; finish() prints PASS or FAIL and exits 0 or 1.
let failures = 0;

export function expect(ok, what) {
  if (!ok) {
    console.log(`FAILED: ${what}`);
    failures++;
  }
}

export function finish() {
  console.log(failures ? 'FAIL' : 'PASS');
  process.exit(failures ? 1 : 0);
}
