import { ApolloArmor } from '@escape.tech/graphql-armor';

/**
 * Abuse limits (GraphQL Armor): depth, cost, aliases, directives and tokens per operation, and no
 * field suggestions when introspection is off. Token count and batching are limited by Apollo itself.
 */
export const GRAPHQL_LIMITS = { maxDepth: 10, maxCost: 5000, maxAliases: 15, maxDirectives: 50, maxTokens: 2000 } as const;

export function graphqlArmor(introspection: boolean) {
  const armor = new ApolloArmor({
    maxDepth: { n: GRAPHQL_LIMITS.maxDepth, ignoreIntrospection: true },
    costLimit: { maxCost: GRAPHQL_LIMITS.maxCost, ignoreIntrospection: true },
    maxAliases: { n: GRAPHQL_LIMITS.maxAliases },
    maxDirectives: { n: GRAPHQL_LIMITS.maxDirectives },
    // Enforced by graphql-js itself (parseOptions.maxTokens): Armor's version answers 500 in Apollo.
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: !introspection },
  });
  return armor.protect();
}
