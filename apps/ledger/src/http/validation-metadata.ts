import { getMetadataStorage } from 'class-validator';

type Storage = ReturnType<typeof getMetadataStorage>;
type Lookup = Storage['getTargetValidationMetadatas'];

const remembering = new WeakSet<Storage>();

/**
 * Makes class-validator remember, per DTO class, which rules apply to it.
 *
 * Each validation asks the metadata storage for the rules of the class and
 * of its ancestors, and the storage finds the ancestors by testing every
 * decorated class of the application (`instanceof`) and filtering the rules
 * again (typestack/class-validator#2686): with this app's 34 DTO classes
 * that is ~5 µs per validated object, every request. The answer changes only
 * when a decorator registers new rules, which happens as classes load; any
 * registration forgets every remembered answer, so what is remembered is
 * always what the storage would answer now. The same array is answered each
 * time (its callers only read it). Safe to call more than once.
 */
export function rememberValidationRules(storage: Storage = getMetadataStorage()): void {
  if (remembering.has(storage)) return;
  remembering.add(storage);
  const lookUp: Lookup = storage.getTargetValidationMetadatas.bind(storage);
  const register = storage.addValidationMetadata.bind(storage);
  let remembered = new WeakMap<object, Map<string, ReturnType<Lookup>>>();
  storage.addValidationMetadata = (metadata) => {
    remembered = new WeakMap();
    register(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    // Only classes are remembered (a WeakMap key must be an object); anything else is looked up as before.
    if (typeof target !== 'function') return lookUp(target, schema, always, strictGroups, groups);
    let byOptions = remembered.get(target);
    if (!byOptions) remembered.set(target, (byOptions = new Map()));
    const key = `${schema} ${always} ${strictGroups} ${groups === undefined ? '-' : JSON.stringify(groups)}`;
    let rules = byOptions.get(key);
    if (!rules) byOptions.set(key, (rules = lookUp(target, schema, always, strictGroups, groups)));
    return rules;
  };
}
