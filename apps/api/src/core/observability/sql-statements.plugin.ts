import type { ApolloServerPlugin } from '@apollo/server';
import { sqlStatements } from './sql-counter';

/** Adds `X-Sql-Statements: N` to GraphQL responses (SQL_STATEMENT_HEADER=1 only). */
export const sqlStatementsPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        const store = sqlStatements.getStore();
        if (store) response.http.headers.set('x-sql-statements', String(store.n));
      },
    };
  },
};
