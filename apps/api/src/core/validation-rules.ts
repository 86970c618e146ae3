import type { getMetadataStorage } from 'class-validator';

type RuleStorage = ReturnType<typeof getMetadataStorage>;
type Rule = Parameters<RuleStorage['addValidationMetadata']>[0];

/**
 * class-validator finds a class's rules by scanning the rules of every class on each validation, then
 * groups them by property again: per request, the largest part of checking arguments. Rules are
 * registered as classes load (their decorators run), so a class's answer only changes when a rule is
 * added: it is remembered until then. Callers only read what these return.
 */
export function rememberRules(storage: RuleStorage): void {
  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- class-validator's own key type
  let byClass = new WeakMap<Function, Map<string, Rule[]>>();
  let byProperty = new WeakMap<Rule[], Record<string, Rule[]>>();
  storage.addValidationMetadata = (rule) => {
    byClass = new WeakMap();
    byProperty = new WeakMap();
    add(rule);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups === undefined ? '' : JSON.stringify(groups)}`;
    let forClass = byClass.get(target);
    if (!forClass) byClass.set(target, (forClass = new Map()));
    let rules = forClass.get(key);
    if (!rules) forClass.set(key, (rules = lookup(target, schema, always, strictGroups, groups)));
    return rules;
  };
  storage.groupByPropertyName = (rules) => {
    let grouped = byProperty.get(rules);
    if (!grouped) byProperty.set(rules, (grouped = group(rules)));
    return grouped;
  };
}
