import { FieldNode, GraphQLResolveInfo, Kind, SelectionSetNode } from 'graphql';

const MAX_DEPTH = 4;

/**
 * What each field of a parsed query selected: a query's document is parsed once and kept (Apollo's
 * document cache), so the same field node comes back with every request that sends the same text.
 */
const known = new WeakMap<FieldNode, ReadonlySet<string>>();

/**
 * The dotted paths a query selected below the current field (`edges.node.teams`, `totalCount`…),
 * through named and inline fragments, so a resolver reads and computes only what was asked for.
 * Directives are not evaluated: a field under `@skip` counts as selected (read, not answered).
 */
export function selectedPaths(info: GraphQLResolveInfo): ReadonlySet<string> {
  // A field node belongs to one document, whose fragments are the ones `info` has.
  const single = info.fieldNodes.length === 1 ? info.fieldNodes[0] : undefined;
  const cached = single && known.get(single);
  if (cached) return cached;
  const paths = new Set<string>();
  const visit = (set: SelectionSetNode | undefined, prefix: string, depth: number) => {
    if (!set || depth > MAX_DEPTH) return;
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
  if (single) known.set(single, paths);
  return paths;
}
