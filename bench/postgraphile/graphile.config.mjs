// PostGraphile 5 as its documentation sets it up for production: the amber preset, the
// public schema plus bench_schema.sql's functions, no GraphiQL, no explain, no watch mode.
// bench/speed.py sets DATABASE_URL, HOST and PORT.
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ["public", "bench_postgraphile"],
    }),
  ],
  grafserv: {
    host: process.env.HOST ?? "127.0.0.1",
    port: Number(process.env.PORT ?? 5678),
    graphiql: false,
    watch: false,
  },
  grafast: { explain: false },
};

export default preset;
