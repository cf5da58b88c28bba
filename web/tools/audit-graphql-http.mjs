// Runs every audit of the graphql-http package (the GraphQL-over-HTTP specification's own
// test suite), warnings included, against a running server. Exits 1 unless all are ok.
import { auditServer } from "graphql-http";

const url = process.argv[2];
if (!url) {
  console.error("usage: node audit-graphql-http.mjs http://host:port/graphql");
  process.exit(2);
}
const results = await auditServer({ url, fetchFn: fetch });
const notOk = results.filter((result) => result.status !== "ok");
for (const result of notOk) {
  console.log(`${result.status.toUpperCase()} ${result.id} ${result.name}: ${result.reason}`);
}
console.log(`${results.length} audits, ${notOk.length} not ok`);
process.exit(notOk.length === 0 ? 0 : 1);
