// Exits 0 once a guest sign-in resolves to the catalog user with the expected group
// (argv[2]): before the catalog has read examples/org.yaml the guest provider falls
// back to a token without group membership, and the browser test would race it.
const expected = process.argv[2];

fetch('http://localhost:7007/api/auth/guest/refresh?env=development', {
  headers: { 'x-requested-with': 'XMLHttpRequest' },
})
  .then(res =>
    res.ok ? res.json() : Promise.reject(new Error(`${res.status}`)),
  )
  .then(body => {
    const refs = body.backstageIdentity?.identity?.ownershipEntityRefs ?? [];
    process.exit(refs.includes(expected) ? 0 : 1);
  })
  .catch(() => process.exit(1));
