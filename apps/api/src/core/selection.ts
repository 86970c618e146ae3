import { GraphQLResolveInfo, Kind, SelectionSetNode } from 'graphql';

/**
 * The dotted paths a query selected below the current field (`edges.node.teams`, `totalCount`…),
 * through named and inline fragments, so a resolver reads and computes only what was asked for.
 */
export function selectedPaths(info: GraphQLResolveInfo, maxDepth = 4): Set<string> {
  const paths = new Set<string>();
  const visit = (set: SelectionSetNode | undefined, prefix: string, depth: number) => {
    if (!set || depth > maxDepth) return;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        const path = prefix + s.name.value;
        paths.add(path);
        visit(s.selectionSet, `${path}.`, depth + 1);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        visit(s.selectionSet, prefix, depth);
      } else {
        visit(info.fragments[s.name.value]?.selectionSet, prefix, depth);
      }
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet, '', 1);
  return paths;
}
