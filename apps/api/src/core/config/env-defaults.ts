// Imported first by main.ts: libraries (graphql-js, express) read NODE_ENV when they load.
// Roster runs in production mode unless told otherwise (NODE_ENV=development or test); unset and
// empty are the same. Any other value is refused by loadConfig (core/config.ts) before anything starts.
if (!process.env['NODE_ENV']?.trim()) process.env['NODE_ENV'] = 'production';
export {};
