import type { ApolloServerPlugin } from '@apollo/server';
import { DocumentNode, GraphQLError, Kind, visit } from 'graphql';
import { ErrorCode } from '@roster/contracts/errors';
import { hasUnsafeText } from './safe-text';

const refuse = (message: string, code: string = ErrorCode.BadUserInput) =>
  new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

function unsafeIn(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return hasUnsafeText(value);
  if (depth > 20 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => unsafeIn(v, depth + 1));
  return Object.entries(value).some(([k, v]) => hasUnsafeText(k) || unsafeIn(v, depth + 1));
}

/**
 * Whether a document's string literals hold unsafe text, remembered per parsed document: Apollo
 * hands the same document object to every request with the same query text while it is cached.
 */
const checkedDocuments = new WeakMap<DocumentNode, boolean>();

function unsafeLiteralIn(document: DocumentNode): boolean {
  let unsafe = checkedDocuments.get(document);
  if (unsafe === undefined) {
    unsafe = false;
    visit(document, {
      [Kind.STRING]: (node) => {
        if (hasUnsafeText(node.value)) unsafe = true;
      },
    });
    checkedDocuments.set(document, unsafe);
  }
  return unsafe;
}

/**
 * The GraphQL edge, before any resolver: text that no field accepts (NUL, unpaired UTF-16
 * surrogates) anywhere in the variables or the document's string literals is BAD_USER_INPUT, and
 * subscriptions (this API has none, and no transport for them) are BAD_REQUEST — both HTTP 400.
 */
export const safeInputPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ request, document, operation }) {
        if (operation?.operation === 'subscription') throw refuse('This API has no subscriptions.', 'BAD_REQUEST');
        if (unsafeIn(request.variables ?? {}) || unsafeLiteralIn(document))
          throw refuse('Text may not contain NUL characters or unpaired UTF-16 surrogates.');
      },
    };
  },
};
