import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { TransformationType } from 'class-transformer';

// class-transformer's rules (its decorators register them there); the package exports no name for it.
const transformerMetadata = (require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage'))
  .defaultMetadataStorage;

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
  const addConstraint = storage.addConstraintMetadata.bind(storage);
  storage.addValidationMetadata = (rule) => {
    byClass = new WeakMap();
    byProperty = new WeakMap();
    checks = new WeakMap();
    add(rule);
  };
  storage.addConstraintMetadata = (constraint) => {
    checks = new WeakMap();
    addConstraint(constraint);
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

type Check = (value: Record<string, unknown>) => object | null;
/** Per class: its check, or null when its rules need class-validator's own run (forgotten when a rule is added: rememberRules). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- class-validator's own key type
let checks = new WeakMap<Function, Check | null>();

/**
 * For ValidationPipe({ transform: true, whitelist: true, forbidUnknownValues: true }) and a class of
 * flat arguments: a function that runs the class's rules as class-validator runs them (the same rule
 * list, the optional-property conditions, then each rule's own validate function with the same
 * arguments) and, when the value passes them all, returns what class-transformer would have made of it
 * (an instance with the value's properties). It returns null, and the pipe runs as usual, for any value
 * it cannot vouch for: a property without a rule (which whitelisting strips), a value that is not a
 * string, number, boolean or null, a rule that fails. Null for a class with rules of another kind
 * (nested, conditional per rule, on each item, asynchronous, by group) or with class-transformer
 * decorators, getters or methods named like a property: those always take class-validator's way.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- class-validator's own key type
export function flatArgumentsCheck(metatype: Function): Check | null {
  let check = checks.get(metatype);
  if (check === undefined) checks.set(metatype, (check = compileCheck(metatype as new () => object)));
  return check;
}

function compileCheck(metatype: new () => object): Check | null {
  const storage = getMetadataStorage();
  // What ValidationExecutor reads for validate(object) without groups: schema undefined, not "always".
  const rules = storage.getTargetValidationMetadatas(
    metatype,
    undefined as unknown as string,
    false,
    false,
    undefined as unknown as string[],
  );
  if (!rules.length) return null;
  if (transformerMetadata.getStrategy(metatype) !== 'none') return null;
  if (transformerMetadata.getExposedMetadatas(metatype).length || transformerMetadata.getExcludedMetadatas(metatype).length) return null;
  const properties: { name: string; conditions: Rule[]; rules: { rule: Rule; validate: Validate }[] }[] = [];
  for (const [name, own] of Object.entries(storage.groupByPropertyName(rules))) {
    if (Object.getOwnPropertyDescriptor(metatype.prototype, name) || name === '__proto__') return null;
    if (transformerMetadata.findTypeMetadata(metatype, name)) return null;
    if (transformerMetadata.findTransformMetadatas(metatype, name, TransformationType.PLAIN_TO_CLASS).length) return null;
    const property = { name, conditions: [] as Rule[], rules: [] as { rule: Rule; validate: Validate }[] };
    for (const rule of own) {
      if (rule.type === ValidationTypes.CONDITIONAL_VALIDATION) property.conditions.push(rule);
      else if (rule.type === ValidationTypes.CUSTOM_VALIDATION && !rule.each && !rule.validateIf && rule.constraintCls) {
        for (const constraint of storage.getTargetValidatorConstraints(rule.constraintCls)) {
          if (constraint.async) return null;
          const instance = constraint.instance as { validate: Validate };
          property.rules.push({ rule, validate: instance.validate.bind(instance) });
        }
      } else return null;
    }
    properties.push(property);
  }
  const known = new Set(properties.map((p) => p.name));
  return (value) => {
    const keys = Object.keys(value);
    for (const key of keys) {
      const v = value[key];
      if (
        !known.has(key) ||
        (v !== null && typeof v === 'object') ||
        typeof v === 'function' ||
        typeof v === 'symbol' ||
        typeof v === 'bigint'
      )
        return null;
    }
    const entity = new metatype() as Record<string, unknown>;
    for (const key of keys) entity[key] = value[key];
    for (const { name, conditions, rules } of properties) {
      const v = entity[name];
      if (!conditions.every((c) => (c.constraints[0] as (object: object, value: unknown) => boolean)(entity, v))) continue;
      for (const { rule, validate } of rules) {
        const args = { targetName: metatype.name, property: name, object: entity, value: v, constraints: rule.constraints };
        if (validate(v, args) !== true) return null;
      }
    }
    return entity;
  };
}

type Validate = (value: unknown, args: object) => unknown;
