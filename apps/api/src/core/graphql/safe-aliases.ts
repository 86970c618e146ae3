import { GraphQLError, type ValidationRule } from 'graphql';

/**
 * Refuses the alias `__proto__`. Compiled execution (graphql-jit) builds each answer object as a plain
 * object, where a property named `__proto__` sets the object's prototype instead: the field vanished
 * from the answer (and an object's value became the prototype of the object holding it). graphql-js
 * gives it back, so the same query answered differently once compiled; refused before either runs.
 * Other names of Object.prototype (`constructor`, `toString`, …) are ordinary properties there and
 * answer the same both ways (apps/api/test/graphql-http.spec.ts).
 */
export const noPrototypeAlias: ValidationRule = (context) => ({
  Field(node) {
    if (node.alias?.value !== '__proto__') return;
    context.reportError(
      new GraphQLError(`The alias "__proto__" is not allowed (field "${node.name.value}"): choose another alias.`, { nodes: node.alias }),
    );
  },
});
