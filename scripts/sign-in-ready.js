// Exits 0 once a guest sign-in resolves to the catalog user with its group
// membership: argv[2] names the group expected, or any group when omitted.
// Before the catalog has read examples/org.yaml, the guest provider falls back
// to the token that app-config describes; the catalog's answer is the one that
// a browser test or an admin signing in should meet.
const expected = process.argv[2];

fetch('http://localhost:7007/api/auth/guest/refresh?env=development', {
  headers: { 'x-requested-with': 'XMLHttpRequest' },
})
  .then(res =>
    res.ok ? res.json() : Promise.reject(new Error(`${res.status}`)),
  )
  .then(body => {
    const identity = body.backstageIdentity?.identity ?? {};
    const refs = identity.ownershipEntityRefs ?? [];
    const ok = expected
      ? refs.includes(expected)
      : refs.some(ref => ref.startsWith('group:'));
    if (ok && process.argv.includes('--print')) {
      console.log(`${identity.userEntityRef} (${refs.join(', ')})`);
    }
    process.exit(ok ? 0 : 1);
  })
  .catch(() => process.exit(1));
